import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for `brig serve` in the client's tests: a Python script (FakeDaemon+Script.swift) answering the
/// API's routes with canned JSON on a temporary Unix socket, recording every request it gets.
///
/// Jobs by the language they are submitted in: python → job-ok (streams stdout, stderr and base64 chunks),
/// bash → job-exit3 (exit code 3, an event split across chunks), c → job-compile (compile_error),
/// ruby → job-late (only the "end" event: output comes from the stored result), perl → job-timeout,
/// javascript → job-slow (holds its "end" until `openGate()` or a DELETE); cobol → 400, busy → 429.
final class FakeDaemon {
    let directory: String
    let socketPath: String
    private let recordPath: String
    private let gatePath: String
    private let process = Process()
    private let logPath: String

    private static let counter = Atomic<Int>(0)

    /// One request as the daemon saw it.
    struct Request {
        let method: String
        let path: String
        let host: String?
        let contentType: String?
        /// The JSON body, parsed; nil when there was none.
        let body: [String: Any]?
    }

    struct StartFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    init() throws {
        let serial = Self.counter.add(1, ordering: .relaxed).newValue
        directory = NSTemporaryDirectory() + "brig-client-\(getpid())-\(serial)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socketPath = directory + "/brig.sock"
        recordPath = directory + "/requests.jsonl"
        gatePath = directory + "/gate"
        logPath = directory + "/daemon.log"
        let scriptPath = directory + "/fake_daemon.py"
        try Self.scriptWithSessions.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [scriptPath, socketPath, recordPath, gatePath]
        // Into a file, not a pipe nobody reads: a full pipe would stall the daemon.
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitForSocket()
    }

    /// Kills the daemon by its pid and removes its folder.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Lets job-slow's event stream end.
    func openGate() {
        _ = FileManager.default.createFile(atPath: gatePath, contents: Data())
    }

    var requests: [Request] {
        guard let text = try? String(contentsOfFile: recordPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(
                method: object["method"] as? String ?? "", path: object["path"] as? String ?? "",
                host: object["host"] as? String, contentType: object["content_type"] as? String,
                body: object["body"] as? [String: Any])
        }
    }

    /// "GET /v1/jobs", ... in the order they came.
    var requestLines: [String] { requests.map { "\($0.method) \($0.path)" } }

    /// Python needs a moment to start (longer on a busy machine).
    private func waitForSocket() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            var status = stat()
            if stat(socketPath, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK { return }
            guard process.isRunning else {
                let message = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                stop()
                throw StartFailure(reason: "the fake daemon exited: \(message)")
            }
            usleep(20_000)
        }
        stop()
        throw StartFailure(reason: "the fake daemon did not create \(socketPath) within 30s")
    }
}
