import Foundation
import Testing

/// scripts/mcp_client.py (the Python MCP SDK from PyPI) spawning `brig mcp --socket SOCKET` and making the calls
/// of a plan; the report is the script's JSON. As Tests/BrigTests/MCPClientRun.swift, for a real daemon.
struct MCPClient {
    let report: [String: Any]
    let stderr: String

    static var script: String { Daemon.repositoryRoot + "/scripts/mcp_client.py" }

    /// `calls`: [(tool, arguments)]; "$sandbox_id" in an argument is the id create_sandbox answered.
    static func run(socket: String, calls: [(String, [String: Any])]) throws -> MCPClient {
        let plan = ["calls": calls.map { ["name": $0.0, "arguments": $0.1] }]
        let base = "/tmp/brig-itest-mcp-\(getpid())-\(UUID().uuidString)"
        let outputPath = base + ".out", errorPath = base + ".err"
        for path in [outputPath, errorPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, Daemon.executable.path, socket]
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: plan))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0,
              let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw DaemonError(message: "the MCP client failed (exit \(process.terminationStatus); `python3 -m pip install mcp` if it is missing): \(output)\n\(errors)")
        }
        return MCPClient(report: report, stderr: errors)
    }

    var tools: [String] { (report["tools"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }

    var calls: [[String: Any]] { report["calls"] as? [[String: Any]] ?? [] }

    func answer(_ index: Int) -> [String: Any] {
        calls.indices.contains(index) ? calls[index]["json"] as? [String: Any] ?? [:] : [:]
    }

    func isError(_ index: Int) -> Bool? {
        calls.indices.contains(index) ? calls[index]["is_error"] as? Bool : nil
    }
}
