import Foundation

/// A plain Unix socket client: sends raw HTTP/1.1 bytes and reads until the server closes. The blocking calls
/// run on a thread of their own: blocking the few cooperative threads would starve the server under test.
enum UnixSocketClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func connect(to path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "connect \(path): \(reason)")
        }
        return descriptor
    }

    /// One request with `Connection: close`; the whole answer as text.
    static func exchange(_ request: String, at path: String) async throws -> String {
        try await onOwnThread { try blockingExchange(request, at: path) }
    }

    /// Sends `request` and reads until the answer contains `marker`; returns what was read and the open socket.
    static func send(_ request: String, at path: String, readUntil marker: String) async throws -> (String, Int32) {
        try await onOwnThread {
            let descriptor = try connect(to: path)
            do {
                try setTimeout(descriptor)
                try writeAll(request, to: descriptor)
                return (try read(from: descriptor, until: marker), descriptor)
            } catch {
                close(descriptor)
                throw error
            }
        }
    }

    /// Reads the rest of the answer until the server closes, then closes the socket.
    static func readToEnd(_ descriptor: Int32) async throws -> String {
        try await onOwnThread {
            defer { close(descriptor) }
            return try read(from: descriptor, until: nil)
        }
    }

    private static func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func setTimeout(_ descriptor: Int32) throws {
        // A guard against a hang, not a measure: in a full parallel run the long synchronous suites can hold
        // every cooperative thread for over a minute, and the server under test answers only when it gets one.
        var timeout = timeval(tv_sec: 300, tv_usec: 0)
        guard setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw Failure(description: "setsockopt: \(String(cString: strerror(errno)))")
        }
    }

    private static func writeAll(_ text: String, to descriptor: Int32) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "write: \(String(cString: strerror(errno)))") }
            sent += written
        }
    }

    /// Reads until `marker` has arrived, or until the server closes when `marker` is nil.
    private static func read(from descriptor: Int32, until marker: String?) throws -> String {
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let marker, String(decoding: answer, as: UTF8.self).contains(marker) { break }
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count == 0 {
                guard marker == nil else { throw Failure(description: "closed before \(marker ?? "")") }
                break
            }
            guard count > 0 else { throw Failure(description: "read: \(String(cString: strerror(errno)))") }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    private static func blockingExchange(_ request: String, at path: String) throws -> String {
        let descriptor = try connect(to: path)
        defer { close(descriptor) }
        try setTimeout(descriptor)
        try writeAll(request, to: descriptor)
        return try read(from: descriptor, until: nil)
    }
}
