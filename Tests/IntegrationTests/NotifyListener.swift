import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// systemd's side of the notify protocol for tests: a Unix datagram socket at a path, or in the abstract
/// namespace when the name starts with "@".
final class NotifyListener {
    let name: String
    private let descriptor: Int32

    init(name: String) throws {
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
            throw DaemonError(message: "bind \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// Datagrams until one has `state` as a line, or `seconds` pass; all of them, in order.
    func receive(until state: String, within seconds: Double) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [String] = []
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) == 1 else { break }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count >= 0 else { break }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            received.append(message)
            if message.split(separator: "\n").contains(Substring(state)) { break }
        }
        return received
    }

    func close() {
        Glibc.close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }
}
