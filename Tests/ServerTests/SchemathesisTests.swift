import API
import Engine
import Foundation
import Server
import TestSupport
import Testing

/// Drives the running server against its own OpenAPI document with schemathesis (PyPI: `schemathesis`),
/// through the loopback TCP listener that only tests enable.
@Suite("Server against its OpenAPI document")
struct SchemathesisTests {
    static let installed = PythonProbe.canImport("schemathesis")

    @Test(.enabled(if: installed, "schemathesis is not installed (pip install schemathesis)"), .timeLimit(.minutes(10)))
    func schemathesisFindsNoServerErrorsAndNoSchemaViolations() async throws {
        let directory = try TemporaryDirectory()
        let configuration = ServerConfiguration(
            socketPath: directory.path + "/brig.sock",
            testListener: TestListener(peer: Peer(uid: 0, gid: 0, pid: 1, isOperator: true)))
        let workingDirectory = directory.path
        let output = try await LiveServer.withRunning(configuration, service: FakeJobService(), admin: FakeAdminService()) { listeners in
            let port = try #require(listeners.tcpPort)
            return try await PythonProbe.run(
                executable: "python3",
                arguments: [
                    "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
                    "run", "http://127.0.0.1:\(port)/v1/openapi.yaml",
                    "--checks",
                    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                    "--max-examples", "20", "--phases", "examples,coverage,fuzzing", "--workers", "1",
                    "--generation-deterministic", "--no-color",
                ],
                // schemathesis keeps its example database in the working directory.
                input: "", directory: workingDirectory)
        }
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    }
}
