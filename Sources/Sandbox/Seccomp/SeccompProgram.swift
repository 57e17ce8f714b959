/// A seccomp policy compiled to classic BPF once, ahead of any launch (`struct sock_filter[]`, 8 bytes each).
public struct SeccompProgram: Sendable, Equatable {
    /// The raw `struct sock_filter` array as bytes, native byte order.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Number of BPF instructions.
    public var instructionCount: Int { bytes.count / 8 }
}
