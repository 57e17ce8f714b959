extension SlotLease {
    /// Takes session slot `wanted` (a session's own slot again after a restart), or the lowest free one when nil.
    /// Locks live in their own directory: session slots never collide with job slots.
    public static func acquireSession(in directory: String, slot wanted: Int? = nil) throws(SandboxError) -> SlotLease {
        let candidates = wanted.map { [$0] } ?? Array(0..<SandboxIdentity.sessionSlotCount)
        for slot in candidates where (0..<SandboxIdentity.sessionSlotCount).contains(slot) {
            if let lease = try tryLock("\(directory)/\(slot)", as: SandboxIdentity(sessionSlot: slot)) { return lease }
        }
        if let wanted {
            throw SandboxError(.launchFailed, "session slot \(wanted) is held by another process", stage: "slot")
        }
        throw SandboxError(.launchFailed, "all \(SandboxIdentity.sessionSlotCount) session slots are in use", stage: "slot")
    }
}
