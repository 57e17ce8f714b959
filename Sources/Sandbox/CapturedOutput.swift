/// One output stream of a run: the bytes kept (up to the cap) and how many the program wrote in all.
public struct CapturedOutput: Sendable, Equatable {
    public var bytes: [UInt8]
    /// Every byte the program wrote to the stream, kept or not.
    public var totalBytes: Int
    /// More was written than kept.
    public var truncated: Bool { totalBytes > bytes.count }

    public init(bytes: [UInt8] = [], totalBytes: Int? = nil) {
        self.bytes = bytes
        self.totalBytes = totalBytes ?? bytes.count
    }

    /// The kept bytes as text, invalid UTF-8 replaced.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
