#if canImport(Glibc)
import Glibc
#endif

/// Exclusive use of one sandbox identity slot, held as an flock on `<runtime>/slots/N` so that concurrent
/// `brig run` processes, tests and the daemon never hand the same host uid to two live sandboxes.
/// The lock dies with its holder, so a crash frees the slot.
public final class SlotLease: @unchecked Sendable {
    public let identity: SandboxIdentity
    private var fd: Int32

    init(identity: SandboxIdentity, fd: Int32) {
        self.identity = identity
        self.fd = fd
    }

    /// Takes the lowest free slot among the first `limit`; throws when all are taken.
    public static func acquire(in directory: String, limit: Int = SandboxIdentity.slotCount) throws(SandboxError) -> SlotLease {
        for slot in 0..<min(limit, SandboxIdentity.slotCount) {
            if let lease = try tryLock("\(directory)/\(slot)", as: SandboxIdentity(slot: slot)) { return lease }
        }
        throw SandboxError(.launchFailed, "all \(limit) sandbox slots are in use", stage: "slot")
    }

    /// Locks the slot file at `path` for `identity`; nil when another holder has it.
    static func tryLock(_ path: String, as identity: SandboxIdentity) throws(SandboxError) -> SlotLease? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw .system(.launchFailed, stage: "slot", errno: errno, "cannot open slot lock \(path)")
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            return SlotLease(identity: identity, fd: fd)
        }
        let lockErrno = errno
        close(fd)
        if lockErrno != EWOULDBLOCK {
            throw .system(.launchFailed, stage: "slot", errno: lockErrno, "cannot lock \(path)")
        }
        return nil
    }

    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
