import Foundation
import TestSupport
import Testing

/// `brig mcp` driven by a real MCP client (the Python SDK from PyPI) against the fake daemon: the tools it
/// lists, what each call sends to the daemon, and the JSON each answers with.
@Suite(.ownThread) struct MCPCommandTests {
    static let tools = ["run_code", "create_sandbox", "exec", "write_file", "read_file", "list_files", "close_sandbox"]

    /// Each tool's required arguments, as its schema must say.
    static let required: [String: Set<String>] = [
        "run_code": ["language", "code"], "create_sandbox": [], "exec": ["sandbox_id", "cmd"],
        "write_file": ["sandbox_id", "path", "content"], "read_file": ["sandbox_id", "path"],
        "list_files": ["sandbox_id"], "close_sandbox": ["sandbox_id"],
    ]

    @Test func theClientListsEveryToolAndCallsEachOne() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try MCPClientRun.run(brig: BrigInvocation.executable, socket: daemon.socketPath, calls: [
            ("run_code", ["language": "python", "code": "print('hello')", "stdin": "input\n"]),                     // 0
            ("create_sandbox", ["profile": "tiny", "ttl": "1h", "idle_ttl": 600,
                                "files": [["path": "/work/src/main.py", "content": "print(1)\n"],
                                          ["path": "data.bin", "content": "/wD+", "encoding": "base64"]]]),        // 1
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["echo", "built", "ok"]]),                               // 2
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["cat"], "stdin": "fed in\n"]),                          // 3
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": "make test", "cwd": "/work/src", "env": ["DEBUG": "1"],
                      "timeout": "30s"]),                                                                           // 4
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["false"]]),                                             // 5
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["python3", "-m", "http.server"], "background": true]),  // 6
            ("write_file", ["sandbox_id": "$sandbox_id", "path": "src/run.sh", "content": "echo hi\n", "mode": "0755"]), // 7
            ("read_file", ["sandbox_id": "$sandbox_id", "path": "src/run.sh"]),                                   // 8
            ("read_file", ["sandbox_id": "$sandbox_id", "path": "data.bin"]),                                     // 9
            ("list_files", ["sandbox_id": "$sandbox_id", "path": "src"]),                                         // 10
            ("list_files", ["sandbox_id": "$sandbox_id", "path": "/work/src", "recursive": true]),                 // 11
            ("close_sandbox", ["sandbox_id": "$sandbox_id"]),                                                      // 12
        ])
        #expect(run.report["transport_errors"] as? [String] == [], "brig wrote something other than protocol messages on stdout")
        #expect((run.report["server"] as? [String: Any])?["name"] as? String == "brig")
        #expect(run.stderr.contains("brig mcp: serving the Model Context Protocol on stdio; daemon at \(daemon.socketPath)"))

        // Seven tools, each with an object schema whose required arguments are its properties.
        #expect(run.toolNames == Self.tools)
        for tool in run.tools {
            let name = tool["name"] as? String ?? "?"
            let schema = try #require(tool["inputSchema"] as? [String: Any], "\(name) has no inputSchema")
            #expect(schema["type"] as? String == "object", "\(name)")
            #expect(schema["additionalProperties"] as? Bool == false, "\(name)")
            let properties = try #require(schema["properties"] as? [String: Any], "\(name)")
            let required = Set(schema["required"] as? [String] ?? [])
            #expect(required == Self.required[name], "\(name)")
            #expect(required.isSubset(of: Set(properties.keys)), "\(name)")
            #expect((tool["description"] as? String)?.isEmpty == false, "\(name)")
        }
        let calls = run.calls
        try #require(calls.count == 13, "\(calls)")
        for index in calls.indices {
            #expect(run.isError(index) == false, "call \(index): \(calls[index])")
            // The text is the structured content, as JSON.
            #expect(calls[index]["text_is_structured"] as? Bool == true, "call \(index)")
        }

        let code = run.answer(0)
        #expect(code["status"] as? String == "ok")
        #expect(code["exit_code"] as? Int == 0)
        #expect(code["stdout"] as? String == "hello\nbytes\n")
        #expect(code["stderr"] as? String == "warn\n")
        #expect(code["message"] as? String == "exited with code 0")
        #expect(code["job_id"] as? String == "job-ok")
        let truncation = try #require(code["truncation"] as? [String: Any])
        #expect(truncation["stdout"] as? Bool == false)
        #expect(truncation["stderr"] as? Bool == false)
        #expect(truncation["stdout_total_bytes"] as? Int == 12)
        #expect(truncation["stderr_total_bytes"] as? Int == 5)
        #expect(code["timings"] as? [String: Double] == ["wall_ms": 12.5, "cpu_ms": 5.0, "setup_ms": 1.5])

        let sandbox = run.answer(1)
        let id = try #require(sandbox["sandbox_id"] as? String)
        #expect(id.hasPrefix("s_"))
        #expect(sandbox["state"] as? String == "active")
        #expect(sandbox["profile"] as? String == "tiny")
        #expect(sandbox["files_written"] as? Int == 2)

        #expect(run.answer(2)["stdout"] as? String == "built ok\n")
        #expect(run.answer(2)["sandbox_id"] as? String == id)
        #expect((run.answer(2)["step_id"] as? String)?.hasPrefix("st_") == true)
        #expect(run.answer(2)["step_index"] as? Int == 1)
        #expect(run.answer(3)["stdout"] as? String == "fed in\n")
        #expect(run.answer(4)["stdout"] as? String == "sh: make test\n")
        #expect(run.answer(5)["status"] as? String == "exit_nonzero")
        #expect(run.answer(5)["exit_code"] as? Int == 1)
        #expect(run.answer(5)["message"] as? String == "exited with code 1")
        #expect(run.answer(6)["status"] as? String == "running")
        #expect(run.answer(6)["background"] as? Bool == true)
        #expect((run.answer(6)["message"] as? String)?.hasPrefix("started in the background") == true)

        #expect(run.answer(7)["path"] as? String == "/work/src/run.sh")
        #expect(run.answer(7)["mode"] as? String == "0755")
        #expect(run.answer(8)["content"] as? String == "echo hi\n")
        #expect(run.answer(8)["encoding"] as? String == "utf8")
        #expect(run.answer(8)["truncated"] as? Bool == false)
        // Not UTF-8: base64, as uploaded.
        #expect(run.answer(9)["content"] as? String == "/wD+")
        #expect(run.answer(9)["encoding"] as? String == "base64")
        let entries = try #require(run.answer(10)["entries"] as? [[String: Any]])
        #expect(Set(entries.compactMap { $0["path"] as? String }) == ["src/main.py", "src/run.sh"])
        // Recursive from a folder: the daemon's listing of /work, cut to the folder's tree.
        let tree = try #require(run.answer(11)["entries"] as? [[String: Any]])
        #expect(Set(tree.compactMap { $0["path"] as? String }) == ["src/main.py", "src/run.sh"])
        #expect(run.answer(12)["state"] as? String == "ended")
        #expect(run.answer(12)["end_reason"] as? String == "deleted")

        // What reached the daemon.
        let bodies = daemon.requests.filter { $0.method == "POST" }.compactMap(\.body)
        #expect(bodies.first?["wait"] as? Bool == true)
        #expect(bodies.first?["stdin"] as? String == "input\n")
        let create = try #require(bodies.first { $0["profile"] != nil })
        #expect(create["ttl"] as? String == "1h")
        #expect(create["idle_ttl"] as? String == "600s")
        let files = try #require(create["files"] as? [[String: String]])
        #expect(files == [["path": "src/main.py", "content": "print(1)\n"], ["path": "data.bin", "content": "/wD+", "encoding": "base64"]])
        let make = try #require(bodies.first { $0["cmd"] as? String == "make test" })
        #expect(make["cwd"] as? String == "/work/src")
        #expect(make["env"] as? [String: String] == ["DEBUG": "1"])
        #expect(make["timeout"] as? String == "30s")
        #expect(daemon.requestLines.contains("PUT /v1/sessions/\(id)/files/src/run.sh?mode=0755"))
        #expect(daemon.requestLines.contains("DELETE /v1/sessions/\(id)"))
    }

    struct BadCall: Sendable, CustomTestStringConvertible {
        let tool: String
        let arguments: [String: any Sendable]
        let code: String
        let field: String?
        /// In the message.
        let reason: String
        var testDescription: String { "\(tool) \(code) \(field ?? "")" }
    }

    static let badCalls = [
        BadCall(tool: "run_code", arguments: ["language": "cobol", "code": "x"], code: "unknown_language", field: "language",
                reason: "available: c, python"),
        BadCall(tool: "run_code", arguments: ["language": "python"], code: "invalid_argument", field: "code", reason: "required"),
        BadCall(tool: "create_sandbox", arguments: ["profile": "nope"], code: "unknown_profile", field: "profile", reason: "nope"),
        BadCall(tool: "create_sandbox", arguments: ["ttl": "soon"], code: "invalid_argument", field: "ttl", reason: "soon"),
        BadCall(tool: "create_sandbox", arguments: ["files": [["path": "../etc/passwd", "content": "x"]]], code: "invalid_argument",
                field: "files[0].path", reason: "\"..\""),
        BadCall(tool: "exec", arguments: ["sandbox_id": "s_missing", "cmd": ["true"]], code: "not_found", field: nil,
                reason: "session s_missing does not exist"),
        BadCall(tool: "exec", arguments: ["sandbox_id": "s_missing", "cmd": 42], code: "invalid_argument", field: "cmd",
                reason: "expected an array of strings (argv) or a shell command string, got a number"),
        BadCall(tool: "exec", arguments: ["sandbox_id": "s_missing", "cmd": ["ls"], "cwd": "/etc"], code: "invalid_argument", field: "cwd",
                reason: "outside the workspace"),
        BadCall(tool: "exec", arguments: ["sandbox_id": "s_missing", "cmd": ["ls"], "env": ["A": ["B"]]], code: "invalid_argument",
                field: "env.A", reason: "expected a string"),
        BadCall(tool: "read_file", arguments: ["sandbox_id": "s_missing", "path": "../../etc/shadow"], code: "invalid_argument",
                field: "path", reason: "\"..\""),
        BadCall(tool: "read_file", arguments: ["sandbox_id": "s_missing", "path": "a", "colour": "red"], code: "invalid_argument",
                field: "colour", reason: "read_file takes no such argument"),
        BadCall(tool: "write_file", arguments: ["sandbox_id": "s_x", "path": "a", "content": "x", "mode": "rwx"], code: "invalid_argument",
                field: "mode", reason: "octal"),
        BadCall(tool: "close_sandbox", arguments: ["sandbox_id": ""], code: "invalid_argument", field: "sandbox_id", reason: "must not be empty"),
    ]

    @Test func badInputAndDaemonErrorsAreToolErrorsNamingTheCause() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        // All in one client session: the server must keep serving after each error.
        let run = try MCPClientRun.run(
            brig: BrigInvocation.executable, socket: daemon.socketPath,
            calls: Self.badCalls.map { ($0.tool, $0.arguments as [String: Any]) } + [("no_such_tool", [:]), ("run_code", ["language": "python", "code": "1"])])
        try #require(run.calls.count == Self.badCalls.count + 2)
        for (index, bad) in Self.badCalls.enumerated() {
            #expect(run.isError(index) == true, "\(bad.testDescription): \(run.calls[index])")
            #expect(run.answer(index)["status"] as? String == "error")
            #expect(run.error(index)["code"] as? String == bad.code, "\(bad.testDescription): \(run.error(index))")
            #expect(run.error(index)["field"] as? String == bad.field, "\(bad.testDescription): \(run.error(index))")
            #expect((run.error(index)["message"] as? String)?.contains(bad.reason) == true, "\(bad.testDescription): \(run.error(index))")
        }
        // An unknown tool is the protocol's business; the session goes on.
        let unknown = run.calls[Self.badCalls.count]
        #expect((unknown["protocol_error"] as? String)?.contains("no_such_tool") == true, "\(unknown)")
        #expect(run.isError(Self.badCalls.count + 1) == false)
        // Bad input never reached the daemon.
        #expect(!daemon.requestLines.contains { $0.contains("s_x") || $0.contains("etc") })
    }

    @Test func aMissingDaemonIsAToolErrorNamingTheSocket() throws {
        let socket = NSTemporaryDirectory() + "brig-no-daemon-\(getpid())/brig.sock"
        let run = try MCPClientRun.run(brig: BrigInvocation.executable, socket: socket, calls: [
            ("run_code", ["language": "python", "code": "print(1)"]),
            ("list_files", ["sandbox_id": "s_1"]),
        ])
        #expect(run.tools.count == 7)
        for index in 0..<2 {
            #expect(run.isError(index) == true)
            #expect(run.error(index)["code"] as? String == "daemon_unavailable")
            #expect((run.error(index)["message"] as? String)?.contains("the daemon is not running (no socket at \(socket))") == true, "\(run.error(index))")
        }
    }
}
