import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// File operations on a workspace that sandboxed code has been writing to, done by root without ever leaving
/// it. Every lookup starts from an fd we hold and goes through openat2 with RESOLVE_BENEATH and
/// RESOLVE_NO_SYMLINKS (`brig_open_beneath`), one resolution in the kernel, so no "..", absolute path or
/// symlink — planted before the call or swapped in during it — leads outside; final components are unlinked,
/// stat'ed and read with *at calls that do not follow links. Only regular files are read or written (a FIFO
/// could block the daemon), and hard links cannot point outside: the workspace is a filesystem of its own.
///
/// Errors carry the errno the engine maps to an answer: ENOENT (absent), ELOOP (a symlink on the way),
/// ENOSPC/EFBIG (too large), ENOTDIR/EISDIR/ENOTEMPTY (the wrong kind of thing), EINVAL (a bad path).
extension Workspace {
    /// Writes `bytes` to `relativePath` (parents created, all owned by the sandbox user), replacing a file there.
    public func writeFile(_ relativePath: String, _ bytes: [UInt8], mode: UInt32 = 0o644) throws(SandboxError) {
        let components = try Self.components(relativePath, allowRoot: false)
        let parent = try openDirectory(components.dropLast(), create: true)
        defer { close(parent) }
        let name = String(components[components.count - 1])
        let fd = brig_open_beneath(parent, name, O_WRONLY | O_CREAT | O_NONBLOCK, 0o600)
        if fd < 0 { throw Self.failure(-fd, "cannot create \(relativePath)") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw Self.failure(errno, "cannot inspect \(relativePath)") }
        if info.st_mode & S_IFMT != S_IFREG { throw Self.failure(EISDIR, "\(relativePath) is not a regular file") }
        if ftruncate(fd, 0) != 0 { throw Self.failure(errno, "cannot truncate \(relativePath)") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Self.failure(errno, "cannot write \(relativePath)")
            }
            offset += written
        }
        if fchown(fd, owner.hostUID, owner.hostGID) != 0 || fchmod(fd, mode & 0o777) != 0 {
            throw Self.failure(errno, "cannot hand \(relativePath) to the sandbox user")
        }
    }

    /// A regular file's bytes (at most `maxBytes`, else EFBIG) or a directory's entries; "" is the root.
    public func item(at relativePath: String, maxBytes: Int) throws(SandboxError) -> WorkspaceItem {
        let components = try Self.components(relativePath, allowRoot: true)
        let fd = try openBeneath(components, flags: O_RDONLY | O_NONBLOCK)
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw Self.failure(errno, "cannot inspect \(relativePath)") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            var entries: [WorkspaceEntry] = []
            try Self.list(fd, prefix: relativePath, recursive: false, into: &entries)
            return .directory(entries.sorted { $0.path < $1.path })
        case S_IFREG:
            if info.st_size > maxBytes { throw Self.failure(EFBIG, "\(relativePath) holds \(info.st_size) bytes; at most \(maxBytes) are served") }
            return .file(try Self.readAll(fd, limit: maxBytes, name: relativePath))
        default:
            throw Self.failure(EINVAL, "\(relativePath) is neither a file nor a directory")
        }
    }

    /// The entries under `relativePath` ("" is the root), the whole tree when `recursive`, at most `limit`.
    public func entries(under relativePath: String, recursive: Bool, limit: Int = 100_000) throws(SandboxError) -> [WorkspaceEntry] {
        let components = try Self.components(relativePath, allowRoot: true)
        let fd = try openBeneath(components, flags: O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        var entries: [WorkspaceEntry] = []
        try Self.list(fd, prefix: relativePath, recursive: recursive, into: &entries, limit: limit)
        return entries.sorted { $0.path < $1.path }
    }

    /// Removes a file, symlink or empty directory; a directory and everything in it when `recursive`.
    public func removeItem(_ relativePath: String, recursive: Bool) throws(SandboxError) {
        let components = try Self.components(relativePath, allowRoot: false)
        let parent = try openDirectory(components.dropLast(), create: false)
        defer { close(parent) }
        let name = String(components[components.count - 1])
        var info = stat()
        if fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) != 0 { throw Self.failure(errno, "cannot find \(relativePath)") }
        if info.st_mode & S_IFMT == S_IFDIR {
            if recursive {
                let directory = brig_open_beneath(parent, name, O_RDONLY | O_DIRECTORY, 0)
                if directory < 0 { throw Self.failure(-directory, "cannot open \(relativePath)") }
                defer { close(directory) }
                try Self.removeContents(of: directory, name: relativePath)
            }
            if unlinkat(parent, name, AT_REMOVEDIR) != 0 { throw Self.failure(errno, "cannot remove \(relativePath)") }
        } else if unlinkat(parent, name, 0) != 0 {
            throw Self.failure(errno, "cannot remove \(relativePath)")
        }
    }

    // MARK: - Plumbing

    /// The path's components; EINVAL for absolute paths, "..", ".", empty components or NUL.
    static func components(_ path: String, allowRoot: Bool) throws(SandboxError) -> [Substring] {
        if path.isEmpty && allowRoot { return [] }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || path.utf8.contains(0) || components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw SandboxError(.invalidSpec, "\(path.debugDescription) is not a relative path inside the workspace", stage: "workspace", errno: EINVAL)
        }
        return components
    }

    private func openRoot() throws(SandboxError) -> Int32 {
        let root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if root < 0 { throw Self.failure(errno, "cannot open the workspace") }
        return root
    }

    private func openBeneath(_ components: [Substring], flags: Int32) throws(SandboxError) -> Int32 {
        let root = try openRoot()
        if components.isEmpty { return root }
        defer { close(root) }
        let relative = components.joined(separator: "/")
        let fd = brig_open_beneath(root, relative, flags, 0)
        if fd < 0 { throw Self.failure(-fd, "cannot open \(relative)") }
        return fd
    }

    /// The directory `components` names, one component at a time; missing ones are made when `create`.
    private func openDirectory(_ components: ArraySlice<Substring>, create: Bool) throws(SandboxError) -> Int32 {
        var directory = try openRoot()
        var walked = ""
        for component in components {
            let name = String(component)
            walked += walked.isEmpty ? name : "/" + name
            var next = brig_open_beneath(directory, name, O_RDONLY | O_DIRECTORY, 0)
            if next == -ENOENT && create {
                if mkdirat(directory, name, 0o755) == 0 {
                    _ = fchownat(directory, name, owner.hostUID, owner.hostGID, AT_SYMLINK_NOFOLLOW)
                } else if errno != EEXIST {
                    let mkdirErrno = errno
                    close(directory)
                    throw Self.failure(mkdirErrno, "cannot create \(walked)")
                }
                next = brig_open_beneath(directory, name, O_RDONLY | O_DIRECTORY, 0)
            }
            close(directory)
            if next < 0 { throw Self.failure(-next, "cannot open \(walked)") }
            directory = next
        }
        return directory
    }

    private static func readAll(_ fd: Int32, limit: Int, name: String) throws(SandboxError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw failure(errno, "cannot read \(name)")
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit { throw failure(EFBIG, "\(name) grew past \(limit) bytes while being read") }
        }
    }

    private static func names(in directory: Int32) throws(SandboxError) -> [String] {
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw failure(errno, "cannot read a directory")
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func list(
        _ directory: Int32, prefix: String, recursive: Bool, into entries: inout [WorkspaceEntry], limit: Int = 100_000
    ) throws(SandboxError) {
        for name in try names(in: directory) {
            if entries.count >= limit { return }
            guard let entry = describe(directory, name: name, path: prefix.isEmpty ? name : "\(prefix)/\(name)") else { continue }  // gone meanwhile
            entries.append(entry)
            let path = entry.path
            if entry.kind == .directory && recursive {
                let child = brig_open_beneath(directory, name, O_RDONLY | O_DIRECTORY, 0)
                guard child >= 0 else { continue }  // swapped for a symlink meanwhile: not followed
                defer { close(child) }
                try list(child, prefix: path, recursive: true, into: &entries, limit: limit)
            }
        }
    }

    /// `name` in `directory`, stat'ed without following it; nil (errno set) when it is not there.
    static func describe(_ directory: Int32, name: String, path: String) -> WorkspaceEntry? {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        let kind: WorkspaceEntry.Kind
        var target: String?
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK:
            kind = .symlink
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlinkat(directory, name, &buffer, Int(PATH_MAX))
            if length >= 0 { target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        default: kind = .other
        }
        return WorkspaceEntry(
            path: path, kind: kind, size: UInt64(max(0, info.st_size)), mode: UInt32(info.st_mode & 0o7777),
            modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9, target: target)
    }

    private static func removeContents(of directory: Int32, name: String) throws(SandboxError) {
        for entry in try names(in: directory) {
            var info = stat()
            guard fstatat(directory, entry, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                let child = brig_open_beneath(directory, entry, O_RDONLY | O_DIRECTORY, 0)
                if child >= 0 {
                    defer { close(child) }
                    try removeContents(of: child, name: "\(name)/\(entry)")
                }
                if unlinkat(directory, entry, AT_REMOVEDIR) != 0 && errno != ENOENT {
                    throw failure(errno, "cannot remove \(name)/\(entry)")
                }
            } else if unlinkat(directory, entry, 0) != 0 && errno != ENOENT {
                throw failure(errno, "cannot remove \(name)/\(entry)")
            }
        }
    }

    static func failure(_ number: Int32, _ message: String) -> SandboxError {
        .system(.workspaceFailed, stage: "workspace", errno: number, message)
    }
}

extension Workspace {
    /// What `relativePath` is, without following it if it is a symlink.
    public func entry(at relativePath: String) throws(SandboxError) -> WorkspaceEntry {
        let components = try Self.components(relativePath, allowRoot: false)
        let parent = try openBeneath(Array(components.dropLast()), flags: O_RDONLY | O_DIRECTORY)
        defer { close(parent) }
        let name = String(components[components.count - 1])
        guard let entry = Self.describe(parent, name: name, path: relativePath) else {
            throw Self.failure(errno, "cannot find \(relativePath)")
        }
        return entry
    }
}
