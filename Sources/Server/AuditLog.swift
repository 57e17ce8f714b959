import API
import Engine
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The audit log: one JSON object per line, appended and fsync'd before `record` returns, so an entry survives
/// a crash right after the action. Growth is bounded: past `maxBytes` the file becomes `<path>.1` (replacing
/// the previous one) and a new file starts, so it never takes more than about twice `maxBytes`.
public final class AuditLog: Sendable {
    public let path: String
    public let maxBytes: Int64
    private let logger: Logger
    private struct OpenFile {
        var descriptor: Int32
        var size: Int64
    }
    private let file: Mutex<OpenFile?>

    /// Opens (creating, 0600) the log; the error names the path and the reason.
    public init(path: String, maxBytes: Int64 = 16 << 20, logger: Logger) throws(ServerError) {
        self.path = path
        self.maxBytes = maxBytes
        self.logger = logger
        file = Mutex(try Self.open(path))
    }

    deinit {
        file.withLock { open in
            if let descriptor = open?.descriptor { close(descriptor) }
        }
    }

    /// Appends one entry. A failure to write is logged, never thrown: the action itself already happened.
    public func record(_ entry: AuditEntry) {
        let line: [UInt8]
        do {
            line = Array(try APIJSON.encoder().encode(entry)) + [UInt8(ascii: "\n")]
        } catch {
            logger.error("audit entry could not be encoded", metadata: ["error": "\(error)"])
            return
        }
        let failure: String? = file.withLock { open in
            do throws(ServerError) {
                if open == nil { open = try Self.open(path) }
                guard var current = open else { return "not open" }
                if current.size > 0 && current.size + Int64(line.count) > maxBytes {
                    close(current.descriptor)
                    open = nil
                    if rename(path, path + ".1") != 0 {
                        let reason = String(cString: strerror(errno))
                        // Keep appending rather than lose entries.
                        logger.warning("audit log could not be rotated", metadata: ["path": "\(path)", "reason": "\(reason)"])
                    }
                    current = try Self.open(path)
                    open = current
                }
                try Self.write(line, to: current.descriptor, path: path)
                open?.size += Int64(line.count)
                return nil
            } catch {
                return error.message
            }
        }
        if let failure {
            logger.error("audit entry not written", metadata: ["path": "\(path)", "reason": "\(failure)", "action": "\(entry.action)"])
        }
    }

    private static func open(_ path: String) throws(ServerError) -> OpenFile {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ServerError("audit_log", "cannot open the audit log \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
        return OpenFile(descriptor: descriptor, size: size)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ServerError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ServerError("audit_log", "cannot write to the audit log \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            throw ServerError("audit_log", "cannot fsync the audit log \(path): \(String(cString: strerror(errno)))")
        }
    }
}
