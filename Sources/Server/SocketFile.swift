#if canImport(Glibc)
import Glibc
#endif

/// The Unix socket's file: cleared of a dead daemon's leftover before bind, given its mode after bind, and
/// removed at shutdown (only if it is still the one this server bound).
struct SocketFile: Sendable {
    let path: String

    /// Removes a stale socket (nobody answers on it); refuses when a daemon answers or the path is not a socket.
    func clearStale() throws(ServerError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !directory.isEmpty, !Self.isDirectory(directory) {
            throw ServerError(
                "socket_directory_missing", "cannot listen on \(path): directory \(directory) does not exist")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw ServerError("socket_check_failed", "cannot inspect \(path): \(Self.errnoText())")
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw ServerError(
                "socket_path_occupied", "\(path) exists and is not a socket; remove it or choose another socket path")
        }
        switch Self.probe(path) {
        case .answered:
            throw ServerError(
                "socket_in_use", "another daemon is answering on \(path); stop it first or choose another socket path")
        case .refused:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw ServerError("socket_check_failed", "cannot remove the stale socket \(path): \(Self.errnoText())")
            }
        case .failed(let reason):
            throw ServerError("socket_check_failed", "cannot check whether a daemon answers on \(path): \(reason)")
        }
    }

    /// chmod (and chown to `group`) right after bind: until then the file has the umask's mode.
    func setMode(_ mode: UInt32, group: UInt32?) throws(ServerError) {
        if let group, chown(path, uid_t.max, gid_t(group)) != 0 {
            throw ServerError("socket_group", "cannot give \(path) to group \(group): \(Self.errnoText())")
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw ServerError(
                "socket_mode", "cannot set mode \(String(mode, radix: 8)) on \(path): \(Self.errnoText())")
        }
    }

    /// The file's identity, to recognise it at shutdown.
    func identity() -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Removes the socket if it is still the file this server bound (not a successor daemon's).
    func remove(ifIdentity expected: (device: UInt64, inode: UInt64)?) {
        guard let expected, let current = identity(), current == expected else { return }
        unlink(path)
    }

    enum ProbeResult: Equatable {
        case answered
        case refused
        case failed(String)
    }

    /// Connects to the socket: accepted means a live daemon; ECONNREFUSED means nobody listens.
    static func probe(_ path: String) -> ProbeResult {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failed(errnoText()) }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return .failed("the path is longer than a Unix socket address allows")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return .answered }
        if errno == ECONNREFUSED { return .refused }
        return .failed(errnoText())
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
