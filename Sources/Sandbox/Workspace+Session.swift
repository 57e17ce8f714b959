#if canImport(Glibc)
import Glibc
#endif

extension Workspace {
    /// Takes over a workspace a previous daemon created at `path` and left mounted (a session's, kept across a
    /// restart). Throws when nothing is mounted there any more (the host rebooted, or someone unmounted it).
    public static func adopt(at path: String, owner: SandboxIdentity) throws(SandboxError) -> Workspace {
        var mine = stat()
        var parent = stat()
        if stat(path, &mine) != 0 {
            throw .system(.workspaceFailed, stage: "workspace", errno: errno, "the workspace \(path) is gone")
        }
        if stat(path + "/..", &parent) != 0 || mine.st_dev == parent.st_dev {
            throw SandboxError(.workspaceFailed, "nothing is mounted on \(path) any more", stage: "workspace")
        }
        return Workspace(path: path, owner: owner)
    }

    /// Bytes in use on the workspace's tmpfs.
    public var usedBytes: UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return UInt64(info.f_blocks - info.f_bfree) * UInt64(info.f_frsize)
    }
}
