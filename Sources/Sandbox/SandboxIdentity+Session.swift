extension SandboxIdentity {
    /// Session identities follow the job slots (session slot N is host uid 61000 + N): a session keeps one for
    /// its whole life, so the files its steps create stay its own, and no job or other session shares it.
    public static let sessionSlotCount = 1000

    public init(sessionSlot: Int) {
        precondition((0..<Self.sessionSlotCount).contains(sessionSlot), "session slot out of range")
        slot = Self.slotCount + sessionSlot
    }

    /// The session slot, for a session identity.
    public var sessionSlot: Int? { slot >= Self.slotCount ? slot - Self.slotCount : nil }
}
