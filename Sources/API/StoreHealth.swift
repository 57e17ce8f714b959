public struct StoreHealth: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int64
    /// "ok", or what the integrity check at start found.
    public var integrity: String

    public init(path: String, bytes: Int64, integrity: String) {
        self.path = path
        self.bytes = bytes
        self.integrity = integrity
    }
}
