import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify without libsystemd: each state ("READY=1", "WATCHDOG=1", "STOPPING=1", "STATUS=...") is one
/// datagram to the Unix socket in $NOTIFY_SOCKET; a name starting with "@" is in the abstract namespace.
public struct SystemdNotifier: Sendable {
    public let socketPath: String
    /// Half of $WATCHDOG_USEC, when systemd's watchdog is on for this process (WATCHDOG_PID, when set, is ours).
    public let watchdogInterval: Duration?

    public init(socketPath: String, watchdogInterval: Duration? = nil) {
        self.socketPath = socketPath
        self.watchdogInterval = watchdogInterval
    }

    /// From the environment systemd gives a Type=notify service; nil when $NOTIFY_SOCKET is absent or empty.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 {
            let forUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
            if forUs { interval = .microseconds(microseconds / 2) }
        }
        self.init(socketPath: path, watchdogInterval: interval)
    }

    /// Sends one datagram; the reason when it could not be sent (systemd gone, socket path wrong).
    @discardableResult
    public func send(_ state: String) -> String? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return "socket: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity || (abstract && pathBytes.count <= capacity) else {
            return "NOTIFY_SOCKET \(socketPath) is longer than a socket address"
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        // An abstract name is exactly its bytes; a path ends at its NUL.
        let length = MemoryLayout<sa_family_t>.size + pathBytes.count + (abstract ? 0 : 1)
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { bytes in
                    sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, socklen_t(length))
                }
            }
        }
        guard sent == message.count else { return "sendto \(socketPath): \(String(cString: strerror(errno)))" }
        return nil
    }
}
