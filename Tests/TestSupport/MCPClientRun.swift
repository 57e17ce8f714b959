import Foundation
import Synchronization

/// One run of scripts/mcp_client.py: the Python MCP SDK spawning `BRIG mcp --socket SOCKET`, listing its tools
/// and making the calls of a plan. The report is the script's JSON. Against a fake daemon (BrigTests) and a
/// real one (IntegrationTests).
public struct MCPClientRun {
    public let report: [String: Any]
    /// The client's stderr, with brig's own stderr in it.
    public let stderr: String

    private static let counter = Atomic<Int>(0)

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/mcp_client.py").path
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The python3 on PATH has the `mcp` package (.ci/setup installs it).
    public static var pythonHasMCP: Bool { PythonProbe.canImport("mcp.client.stdio") }

    /// `brig`: the executable the client starts. `calls`: [(tool, arguments)]; "$sandbox_id" in an argument is
    /// the id create_sandbox answered.
    public static func run(brig: String, socket: String, calls: [(String, [String: Any])]) throws -> MCPClientRun {
        guard pythonHasMCP else {
            throw Failure(description: "python3 on PATH has no `mcp` package: `python3 -m pip install mcp` (.ci/setup does)")
        }
        let plan = ["calls": calls.map { ["name": $0.0, "arguments": $0.1] }]
        let input = try JSONSerialization.data(withJSONObject: plan)
        let serial = counter.add(1, ordering: .relaxed).newValue
        let base = NSTemporaryDirectory() + "brig-mcp-client-\(getpid())-\(serial)"
        let outputPath = base + ".out", errorPath = base + ".err"
        for path in [outputPath, errorPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, brig, socket]
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0,
              let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw Failure(description: "the MCP client failed (exit \(process.terminationStatus)): \(output)\n\(errors)")
        }
        return MCPClientRun(report: report, stderr: errors)
    }

    public var tools: [[String: Any]] { report["tools"] as? [[String: Any]] ?? [] }

    public var toolNames: [String] { tools.compactMap { $0["name"] as? String } }

    public var calls: [[String: Any]] { report["calls"] as? [[String: Any]] ?? [] }

    /// The n-th call's answer, parsed.
    public func answer(_ index: Int) -> [String: Any] {
        calls.indices.contains(index) ? calls[index]["json"] as? [String: Any] ?? [:] : [:]
    }

    public func isError(_ index: Int) -> Bool? {
        calls.indices.contains(index) ? calls[index]["is_error"] as? Bool : nil
    }

    /// The n-th call's error object, when it was a tool error.
    public func error(_ index: Int) -> [String: Any] {
        answer(index)["error"] as? [String: Any] ?? [:]
    }
}
