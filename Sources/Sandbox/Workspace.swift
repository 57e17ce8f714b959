import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// The writable directory a sandbox sees at /work: a size-capped tmpfs mounted on the host, owned by the
/// sandbox's host uid, so the caller can put files in before a run and take them out after (and a compile
/// step and its run can share it). Its pages count against the memory of the cgroup that writes them.
public final class Workspace: @unchecked Sendable {
    public let path: String
    public let owner: SandboxIdentity
    private var mounted = true

    init(path: String, owner: SandboxIdentity) {
        self.path = path
        self.owner = owner
    }

    /// Creates the directory `path` and mounts a tmpfs of `sizeBytes` on it.
    public static func create(at path: String, sizeBytes: UInt64, owner: SandboxIdentity) throws(SandboxError) -> Workspace {
        if mkdir(path, 0o755) != 0 {
            throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot create workspace \(path)")
        }
        let options = mountOptions(sizeBytes: sizeBytes, uid: owner.hostUID, gid: owner.hostGID)
        if mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), options) != 0 {
            let mountErrno = errno
            rmdir(path)
            throw .system(.workspaceFailed, stage: "workspace", errno: mountErrno, "cannot mount the workspace tmpfs at \(path)")
        }
        return Workspace(path: path, owner: owner)
    }

    /// A workspace tmpfs's options: `sizeBytes` of room, owned by `uid`:`gid`.
    static func mountOptions(sizeBytes: UInt64, uid: UInt32, gid: UInt32) -> String {
        "size=\(sizeBytes),nr_inodes=\(inodeLimit(sizeBytes: sizeBytes)),mode=0755,uid=\(uid),gid=\(gid)"
    }

    /// The inodes a writable tmpfs of `sizeBytes` gets (the workspace's, a sandbox's /tmp): one per 4 KiB at
    /// most, and at least 1024; enough for source trees, not a way to eat kernel memory.
    static func inodeLimit(sizeBytes: UInt64) -> UInt64 {
        max(1024, sizeBytes / 4096)
    }

    /// Writes `bytes` to `relativePath` inside the workspace (parent directories created), owned by the sandbox
    /// user. The path is resolved beneath the workspace with no symlinks followed, so it cannot lead outside.
    public func write(_ relativePath: String, _ bytes: [UInt8], mode: UInt32 = 0o644) throws(SandboxError) {
        let components = try Self.validated(relativePath)
        let root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if root < 0 { throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot open \(path)") }
        defer { close(root) }
        var prefix = ""
        for directory in components.dropLast() {
            prefix += prefix.isEmpty ? directory : "/" + directory
            if mkdirat(root, prefix, 0o755) == 0 {
                _ = fchownat(root, prefix, owner.hostUID, owner.hostGID, AT_SYMLINK_NOFOLLOW)
            } else if errno != EEXIST {
                throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot create \(prefix) in the workspace")
            }
        }
        let fd = brig_open_beneath(root, relativePath, O_WRONLY | O_CREAT | O_TRUNC, mode)
        if fd < 0 { throw .system(.workspaceFailed, stage: "workspace", errno: -fd, "cannot create \(relativePath) in the workspace") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot write \(relativePath)")
            }
            offset += written
        }
        if fchown(fd, owner.hostUID, owner.hostGID) != 0 || fchmod(fd, mode) != 0 {
            throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot hand \(relativePath) to the sandbox user")
        }
    }

    /// Unmounts and removes the workspace. Safe to call twice.
    public func remove() throws(SandboxError) {
        guard mounted else { return }
        if umount2(path, Int32(MNT_DETACH)) != 0 && errno != EINVAL && errno != ENOENT {
            throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot unmount \(path)")
        }
        mounted = false
        if rmdir(path) != 0 && errno != ENOENT {
            throw .system(.workspaceFailed, stage: "workspace", errno: errno, "cannot remove \(path)")
        }
    }

    private static func validated(_ relativePath: String) throws(SandboxError) -> [Substring] {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        let bad = relativePath.isEmpty || relativePath.hasPrefix("/") || relativePath.utf8.contains(0)
            || components.contains { $0.isEmpty || $0 == "." || $0 == ".." }
        if bad {
            throw SandboxError(.invalidSpec, "\(relativePath.debugDescription) is not a relative path inside the workspace", stage: "workspace")
        }
        return components
    }
}
