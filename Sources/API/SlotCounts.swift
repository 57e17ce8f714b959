public struct SlotCounts: Sendable, Codable, Equatable {
    public var total: Int
    public var busy: Int
    public var free: Int

    public init(total: Int, busy: Int, free: Int) {
        self.total = total
        self.busy = busy
        self.free = free
    }
}
