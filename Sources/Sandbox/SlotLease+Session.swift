#if canImport(Glibc)
import Glibc
#endif

extension SlotLease {
    /// Takes session slot `wanted` (a session's own slot again after a restart), or the lowest free one when nil.
    /// Locks live in their own directory: session slots never collide with job slots.
    public static func acquireSession(in directory: String, slot wanted: Int? = nil) throws(SandboxError) -> SlotLease {
        let candidates = wanted.map { [$0] } ?? Array(0..<SandboxIdentity.sessionSlotCount)
        for slot in candidates where (0..<SandboxIdentity.sessionSlotCount).contains(slot) {
            let path = "\(directory)/\(slot)"
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd < 0 {
                throw .system(.launchFailed, stage: "slot", errno: errno, "cannot open session slot lock \(path)")
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                return SlotLease(identity: SandboxIdentity(sessionSlot: slot), fd: fd)
            }
            let lockErrno = errno
            close(fd)
            if lockErrno != EWOULDBLOCK {
                throw .system(.launchFailed, stage: "slot", errno: lockErrno, "cannot lock \(path)")
            }
        }
        if let wanted {
            throw SandboxError(.launchFailed, "session slot \(wanted) is held by another process", stage: "slot")
        }
        throw SandboxError(.launchFailed, "all \(SandboxIdentity.sessionSlotCount) session slots are in use", stage: "slot")
    }
}
