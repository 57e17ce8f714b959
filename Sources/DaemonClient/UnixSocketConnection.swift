#if canImport(Glibc)
import Glibc
#endif

/// One connected AF_UNIX stream socket; closed when the connection goes away.
package final class UnixSocketConnection {
    package let path: String
    private let fd: Int32

    /// What a read gave.
    package enum ReadOutcome {
        case bytes([UInt8])
        /// The peer closed its end.
        case endOfStream
        /// Nothing arrived within the timeout (or a signal interrupted the wait).
        case idle
    }

    package init(path: String) throws(ClientError) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw .usage("--socket \(path.debugDescription): a socket path is 1 to \(capacity - 1) bytes long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { field in
            field.copyBytes(from: bytes)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError.connecting(to: path, step: "socket", errno: errno) }
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result < 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(fd)
            throw ClientError.connecting(to: path, step: "connect", errno: code)
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    package func send(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a daemon that hung up is an error to report, not a SIGPIPE that kills brig.
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw ClientError("sending the request to \(path): \(String(cString: strerror(errno)))", exitCode: .unavailable)
            }
            offset += sent
        }
    }

    /// Waits up to `timeout` milliseconds (-1: for ever) for bytes, then reads what is there.
    package func read(timeout: Int32) throws(ClientError) -> ReadOutcome {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeout)
        if ready == 0 || (ready < 0 && errno == EINTR) { return .idle }
        if ready < 0 { throw reading(errno) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return .idle }
            throw reading(errno)
        }
        if count == 0 { return .endOfStream }
        return .bytes(Array(buffer[0..<count]))
    }

    private func reading(_ code: Int32) -> ClientError {
        ClientError("reading the daemon's answer from \(path): \(String(cString: strerror(code)))", exitCode: .unavailable)
    }
}
