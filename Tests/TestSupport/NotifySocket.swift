import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Unix datagram socket standing in for systemd's notify socket, for the notifier's tests and a real daemon's:
/// at a path, or in the abstract namespace when the name starts with "@". Closed (and its file removed) by
/// `close()`.
public final class NotifySocket {
    public let name: String
    public let descriptor: Int32

    public init(name: String) throws {
        self.name = name
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard descriptor >= 0, bound == 0 else {
            throw NotifySocketError(reason: "bind \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// The next datagram, or nil when none comes within `timeout`.
    public func receive(timeout: Duration) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let (seconds, attoseconds) = timeout.components
        guard poll(&poller, 1, Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Datagrams until one contains `state` as a line, or `timeout` passes; all of them, in order.
    public func receive(until state: String, timeout: Duration) -> [String] {
        let deadline = ContinuousClock.now + timeout
        var received: [String] = []
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: deadline - ContinuousClock.now) else { break }
            received.append(message)
            if message.split(separator: "\n").contains(Substring(state)) { break }
        }
        return received
    }

    public func close() {
        Glibc.close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }
}

public struct NotifySocketError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
