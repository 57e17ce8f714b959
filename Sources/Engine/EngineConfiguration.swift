/// How much work the engine takes on.
public struct EngineConfiguration: Sendable {
    /// Sandboxes running at once (worker threads).
    public var slots: Int
    /// Jobs waiting at most; one more is refused with 429 and Retry-After.
    public var queueCapacity: Int
    /// Finished jobs older than this are purged.
    public var retentionAge: Duration
    /// At most this many finished jobs are kept.
    public var retentionCount: Int
    /// How often retention runs.
    public var purgeInterval: Duration

    public init(
        slots: Int = 2, queueCapacity: Int = 1000, retentionAge: Duration = .seconds(7 * 24 * 3600),
        retentionCount: Int = 100_000, purgeInterval: Duration = .seconds(600)
    ) {
        self.slots = slots
        self.queueCapacity = queueCapacity
        self.retentionAge = retentionAge
        self.retentionCount = retentionCount
        self.purgeInterval = purgeInterval
    }
}
