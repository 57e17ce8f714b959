public struct DiskHealth: Sendable, Codable, Equatable {
    public var path: String
    public var freeBytes: Int64
    /// Below this much free space brig stops admitting work.
    public var thresholdBytes: Int64

    public init(path: String, freeBytes: Int64, thresholdBytes: Int64) {
        self.path = path
        self.freeBytes = freeBytes
        self.thresholdBytes = thresholdBytes
    }

    enum CodingKeys: String, CodingKey {
        case path, freeBytes = "free_bytes", thresholdBytes = "threshold_bytes"
    }
}
