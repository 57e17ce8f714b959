import Foundation

/// Runs python3 for the tests that use PyPI tools (PyYAML, schemathesis, prometheus_client, mcp) when they are
/// installed.
public enum PythonProbe {
    public static func canImport(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Runs `python3 -c script` with `input` on stdin; returns stdout, throws when it exits non-zero.
    public static func run(script: String, input: String) async throws -> String {
        let output = try await run(executable: "python3", arguments: ["-c", script], input: input)
        guard output.status == 0 else {
            throw PythonFailure(output: output.stdout + output.stderr)
        }
        return output.stdout
    }

    public struct PythonFailure: Error, CustomStringConvertible {
        public var output: String
        public var description: String { output }
    }

    /// Runs a program found on PATH without blocking a thread while it runs; its output goes to temporary
    /// files (no pipe to fill up).
    public static func run(
        executable: String, arguments: [String], input: String, directory: String? = nil
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        if let directory {
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stdin = Pipe()
        let stdoutFile = FileManager.default.temporaryDirectory.appendingPathComponent("brig-srv-\(getpid())-\(UUID().uuidString).out")
        let stderrFile = stdoutFile.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: stdoutFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        let exited = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in continuation.finish() }
        }
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        for await _ in exited {}
        process.waitUntilExit()
        return (
            process.terminationStatus,
            (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
            (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
        )
    }
}
