#if canImport(Glibc)
import Glibc
#endif

/// The filesystem a sandbox sees, as a list of steps: the image's read-only binds, then brig's own
/// mounts — a fresh /proc, a minimal /dev, a size-capped /tmp, the workspace at /work, and generated
/// /etc/passwd, /etc/group, /etc/hostname and /etc/hosts. Nothing else of the host exists inside.
enum RootLayout {
    static let readOnly = UInt(MS_RDONLY | MS_NOSUID | MS_NODEV)
    static let devices = ["null", "zero", "full", "random", "urandom", "tty"]

    /// `workspacePath` is the host workspace bound at /work; nil gives the sandbox a /work of its own instead, a
    /// tmpfs of `limits.workspaceBytes` that its init mounts and that goes with its mount namespace: for a run
    /// whose files nobody puts in or takes out (`brig run`), nothing of it is ever mounted on the host.
    static func steps(
        binds: [ReadOnlyBind], limits: SandboxLimits, workspacePath: String?, hostname: String
    ) throws(SandboxError) -> [MountStep] {
        var layout = Builder()
        for bind in binds {
            try layout.add(bind)
        }
        layout.directory("/proc")
        layout.steps.append(MountStep(kind: .proc, target: "/proc", flags: UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC)))

        layout.directory("/dev")
        layout.steps.append(MountStep(
            kind: .tmpfs, target: "/dev", flags: UInt(MS_NOSUID | MS_NOEXEC),
            data: Array("size=64k,nr_inodes=64,mode=0755".utf8)))
        for device in devices {
            layout.steps.append(MountStep(kind: .file, target: "/dev/\(device)", mode: 0o666))
            layout.steps.append(MountStep(
                kind: .bind, target: "/dev/\(device)", source: "/dev/\(device)", flags: UInt(MS_NOSUID | MS_NOEXEC)))
        }
        for (name, target) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                               ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")] {
            layout.steps.append(MountStep(kind: .symlink, target: "/dev/\(name)", source: target))
        }
        layout.steps.append(MountStep(kind: .directory, target: "/dev/shm", mode: 0o1777))
        layout.steps.append(MountStep(
            kind: .tmpfs, target: "/dev/shm", flags: UInt(MS_NOSUID | MS_NODEV),
            data: Array("size=\(min(limits.tmpBytes, 64 << 20)),mode=1777".utf8)))
        // The sandbox user created /dev's entries; freeze them (the devices and /dev/shm are mounts of their own).
        layout.steps.append(MountStep(kind: .readOnly, target: "/dev", flags: UInt(MS_NOSUID | MS_NOEXEC)))

        layout.directory("/tmp", mode: 0o1777)
        layout.steps.append(MountStep(
            kind: .tmpfs, target: "/tmp", flags: UInt(MS_NOSUID | MS_NODEV),
            data: Array("size=\(limits.tmpBytes),nr_inodes=\(Workspace.inodeLimit(sizeBytes: limits.tmpBytes)),mode=1777".utf8)))

        layout.directory("/work")
        if let workspacePath {
            layout.steps.append(MountStep(
                kind: .bind, target: "/work", source: workspacePath, flags: UInt(MS_NOSUID | MS_NODEV)))
        } else {
            // The host workspace's options (see Workspace.create); the ids are the sandbox user's inside, which
            // the tmpfs reads in the init's user namespace: the same host uid owns it.
            layout.steps.append(MountStep(
                kind: .tmpfs, target: "/work", flags: UInt(MS_NOSUID | MS_NODEV),
                data: Array(Workspace.mountOptions(
                    sizeBytes: limits.workspaceBytes, uid: SandboxIdentity.insideID, gid: SandboxIdentity.insideID).utf8)))
        }

        layout.directory("/etc")
        let id = SandboxIdentity.insideID
        layout.file("/etc/passwd", """
            sandbox:x:\(id):\(id):brig sandbox:/work:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin

            """)
        layout.file("/etc/group", "sandbox:x:\(id):\nnogroup:x:65534:\n")
        layout.file("/etc/hostname", "\(hostname)\n")
        layout.file("/etc/hosts", "127.0.0.1 localhost \(hostname)\n::1 localhost ip6-localhost\n")
        return layout.steps
    }

    private struct Builder {
        var steps: [MountStep] = []
        var directories: Set<String> = ["/"]

        mutating func directory(_ path: String, mode: UInt32 = 0o755) {
            guard !directories.contains(path) else { return }
            let parent = Self.parent(of: path)
            directory(parent)
            directories.insert(path)
            steps.append(MountStep(kind: .directory, target: path, mode: mode))
        }

        mutating func file(_ path: String, _ content: String) {
            directory(Self.parent(of: path))
            steps.append(MountStep(kind: .file, target: path, mode: 0o644, data: Array(content.utf8)))
        }

        /// A host symlink stays a symlink (Debian's /bin -> usr/bin); a directory or file is bound read-only.
        mutating func add(_ bind: ReadOnlyBind) throws(SandboxError) {
            var info = stat()
            if lstat(bind.source, &info) != 0 {
                if bind.optional && (errno == ENOENT || errno == ENOTDIR) { return }
                throw .system(.invalidSpec, stage: "image", errno: errno, "the image needs \(bind.source)")
            }
            directory(Self.parent(of: bind.target))
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = readlink(bind.source, &buffer, Int(PATH_MAX))
                if length < 0 { throw .system(.invalidSpec, stage: "image", errno: errno, "cannot read the link \(bind.source)") }
                let content = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                steps.append(MountStep(kind: .symlink, target: bind.target, source: content))
            case S_IFDIR:
                directory(bind.target)
                steps.append(MountStep(kind: .bind, target: bind.target, source: bind.source, flags: RootLayout.readOnly))
            default:
                steps.append(MountStep(kind: .file, target: bind.target, mode: 0o644))
                steps.append(MountStep(kind: .bind, target: bind.target, source: bind.source, flags: RootLayout.readOnly))
            }
        }

        static func parent(of path: String) -> String {
            guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
            return String(path[..<slash])
        }
    }
}
