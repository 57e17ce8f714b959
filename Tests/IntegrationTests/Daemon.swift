import API
import Engine
import Foundation
import Testing

/// A real `brig serve` on a temporary socket and state directory, driven with curl over the socket.
/// `stop()` (and deinit) end it by pid; its files go with it.
final class Daemon: @unchecked Sendable {
    let directory: String
    let socket: String
    let stateDirectory: String
    let catalogDirectory: String
    /// Slot locks and workspaces; a daemon's start reaps the leftovers of dead daemons here, so a test that
    /// crashes one on purpose may want a folder of its own.
    let runtimeDirectory: String
    private(set) var process: Process?
    private static let counter = Counter()

    static let executable: URL = {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("brig")
    }()

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Starts a daemon with a copy of the repository's catalog (so a test may break it) and waits until it answers.
    /// A port for the loopback TCP listener that only tests enable (`--test-tcp-port`), or nil.
    let testTCPPort: Int?
    /// Added to `brig serve`'s environment and arguments (NOTIFY_SOCKET, --config, ...).
    let extraEnvironment: [String: String]
    let extraArguments: [String]
    /// The brig that serves: the built one, or a copy installed elsewhere.
    let executable: URL

    init(
        slots: Int = 2, queue: Int = 1000, testTCPPort: Int? = nil, runtimeDirectory: String = "/run/brig-itest",
        environment: [String: String] = [:], arguments: [String] = [], executable: URL = Daemon.executable
    ) throws {
        self.executable = executable
        self.testTCPPort = testTCPPort
        self.runtimeDirectory = runtimeDirectory
        extraEnvironment = environment
        extraArguments = arguments
        directory = "/tmp/brig-itest-\(getpid())-\(Self.counter.next())"
        socket = directory + "/brig.sock"
        stateDirectory = directory + "/state"
        catalogDirectory = directory + "/catalog"
        try FileManager.default.createDirectory(atPath: catalogDirectory, withIntermediateDirectories: true)
        for folder in ["profiles", "sandbox-images"] {
            try FileManager.default.copyItem(atPath: "\(Self.repositoryRoot)/\(folder)", toPath: "\(catalogDirectory)/\(folder)")
        }
        try start(slots: slots, queue: queue)
    }

    func start(slots: Int = 2, queue: Int = 1000) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "serve", "--socket", socket, "--state-dir", stateDirectory, "--catalog", catalogDirectory,
            "--runtime-dir", runtimeDirectory, "--slots", "\(slots)", "--queue", "\(queue)", "--grace", "2s",
        ] + (testTCPPort.map { ["--test-tcp-port", "\($0)"] } ?? []) + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["BRIG_ALLOW_TEST_LISTENER"] = "1"
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        let logPath = directory + "/daemon.log"
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try logHandle.seekToEnd()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = logHandle
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? request("GET", "/healthz"))?.status == 200 { return }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw DaemonError(message: "the daemon did not come up: \(log())")
    }

    func log() -> String {
        (try? String(contentsOfFile: directory + "/daemon.log", encoding: .utf8)) ?? ""
    }

    struct Response {
        let status: Int
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "not a JSON object: \(text)")
        }
        func job() throws -> JobView { try APIJSON.decoder().decode(JobView.self, from: body) }
    }

    /// One request with curl; `body` is sent as is.
    func request(_ method: String, _ path: String, body: String? = nil, timeout: Int = 120) throws -> Response {
        var arguments = ["-s", "--max-time", "\(timeout)", "--unix-socket", socket, "-X", method, "-o", "-", "-w", "\n%{http_code}"]
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        arguments.append("http://brig\(path)")
        let output = try Self.curl(arguments, stdin: body)
        guard let newline = output.lastIndex(of: UInt8(ascii: "\n")), let status = Int(String(decoding: output[(newline + 1)...], as: UTF8.self)) else {
            throw DaemonError(message: "curl gave no status: \(String(decoding: output, as: UTF8.self))")
        }
        return Response(status: status, body: Data(output[..<newline]))
    }

    func submit(_ json: String) throws -> Response {
        try request("POST", "/v1/jobs", body: json)
    }

    /// Polls until the job is terminal.
    func finished(_ id: String, within seconds: Double = 120) throws -> JobView {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let job = try request("GET", "/v1/jobs/\(id)").job()
            if job.status.isTerminal { return job }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw DaemonError(message: "job \(id) did not finish in \(seconds)s")
    }

    static func curl(_ arguments: [String], stdin: String?) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// SIGKILL, as a crash would.
    func crash() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then wait for the drain.
    func stop() {
        guard let process else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        self.process = nil
    }

    deinit {
        stop()
        // Session workspaces are mounts under the state directory: a failed test may leave one behind. (Read
        // to the end: String(contentsOfFile:) stops at 4 KiB of a procfs file.)
        let data = FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readDataToEndOfFile() ?? Data()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4, fields[4].hasPrefix(directory + "/") { _ = umount2(String(fields[4]), Int32(MNT_DETACH)) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct DaemonError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
