#if canImport(Glibc)
import Glibc
#endif

extension CgroupFS {
    /// `name` as one path component, or an `.invalidSpec` error: a cgroup name must not climb or nest.
    static func component(_ name: String, what: String) throws(SandboxError) -> String {
        guard !name.isEmpty, name != ".", name != "..",
              !name.contains(where: { $0 == "/" || $0 == "\0" || $0 == "\n" })
        else {
            throw SandboxError(.invalidSpec, "\(what) \"\(name)\" is not a valid cgroup name")
        }
        return name
    }

    /// Makes the cgroup `child` inside `parent`, making `parent` first when needed and passing it to
    /// `prepareParent` (which must be idempotent). Another sandbox ending at the same moment may remove
    /// the parent between the two steps (the last one out removes it), so a vanished parent is made again.
    static func makeChild(
        _ child: String, in parent: String,
        prepareParent: (String) throws(SandboxError) -> Void = { _ in }
    ) throws(SandboxError) {
        var attempts = 0
        while true {
            attempts += 1
            let canRetry = attempts < 8
            if mkdir(parent, 0o755) != 0, errno != EEXIST {
                throw .system(.cgroupFailed, stage: "cgroup.mkdir", errno: errno, "cannot create cgroup \(parent)")
            }
            do {
                try prepareParent(parent)
            } catch {
                if canRetry, error.errno == ENOENT { continue }
                throw error
            }
            if mkdir(child, 0o755) == 0 { return }
            let failure = errno
            if canRetry, failure == ENOENT { continue }
            throw .system(.cgroupFailed, stage: "cgroup.mkdir", errno: failure, "cannot create cgroup \(child)")
        }
    }

    /// Removes the cgroup at `path`, retrying until `deadline` while it is busy: killed processes take a
    /// moment to leave. A cgroup that is already gone counts as removed.
    static func removeDirectory(_ path: String, retryingUntil deadline: ContinuousClock.Instant) throws(SandboxError) {
        var pause: UInt32 = 50
        while rmdir(path) != 0 {
            let failure = errno
            if failure == ENOENT { return }
            guard failure == EBUSY || failure == EINTR, ContinuousClock.now < deadline else {
                throw .system(.cgroupFailed, stage: "cgroup.rmdir", errno: failure, "cannot remove cgroup \(path)")
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }

    /// Removes a parent cgroup unless other sandboxes still use it, so nothing of brig's is left once the
    /// last sandbox ends. Failing is fine: the next sandbox reuses the parent.
    static func removeIfUnused(_ path: String) {
        _ = rmdir(path)
    }
}
