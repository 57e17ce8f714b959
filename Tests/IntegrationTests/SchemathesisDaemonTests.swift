import Foundation
import TestSupport
import Testing

/// schemathesis (PyPI) against a real daemon and engine, through the loopback TCP listener only tests enable:
/// generated requests, valid and not, must never get a 5xx or an answer that breaks the OpenAPI document.
@Suite(.ownThread) struct SchemathesisDaemonTests {
    static let installed = PythonProbe.canImport("schemathesis")

    @Test(.enabled(if: installed, "schemathesis is not installed (pip install schemathesis)"), .timeLimit(.minutes(10)))
    func theDaemonHoldsToItsOpenAPIDocument() throws {
        let port = 20000 + Int(getpid() % 20000)
        let daemon = try Daemon(testTCPPort: port)
        defer { daemon.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
            "run", "http://127.0.0.1:\(port)/v1/openapi.yaml",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples", "15", "--phases", "examples,coverage,fuzzing", "--workers", "1",
            "--generation-deterministic", "--no-color",
            // The admin actions change the daemon's state (a drain or an emergency stop makes every later
            // submission a 503); the server tests run them against a fake admin service.
            "--exclude-path-regex", "^/v1/admin/(drain|resume|emergency-stop|reap|selftest)$",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: daemon.directory)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)\n--- daemon log\n\(daemon.log().suffix(4000))")
        #expect(try daemon.request("GET", "/healthz").status == 200)
    }
}
