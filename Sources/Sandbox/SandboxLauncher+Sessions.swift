#if canImport(Glibc)
import Glibc
#endif

extension SandboxLauncher {
    var sessionSlotsDirectory: String { runtimeDirectory + "/session-slots" }

    /// Leases a session identity: `slot` again (after a restart) or the lowest free one.
    public func leaseSessionSlot(_ slot: Int? = nil) throws(SandboxError) -> SlotLease {
        if mkdir(sessionSlotsDirectory, 0o755) != 0 && errno != EEXIST {
            throw .system(.launchFailed, stage: "runtime", errno: errno, "cannot create \(sessionSlotsDirectory)")
        }
        return try SlotLease.acquireSession(in: sessionSlotsDirectory, slot: slot)
    }
}
