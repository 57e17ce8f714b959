public struct QueueHealth: Sendable, Codable, Equatable {
    public var depth: Int
    public var capacity: Int
    /// Seconds the oldest queued job has waited; nil when the queue is empty.
    public var oldestAgeSeconds: Double?

    public init(depth: Int, capacity: Int, oldestAgeSeconds: Double?) {
        self.depth = depth
        self.capacity = capacity
        self.oldestAgeSeconds = oldestAgeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case depth, capacity, oldestAgeSeconds = "oldest_age_seconds"
    }
}
