import Foundation
import TestSupport
import Testing

/// An agent's whole loop through `brig mcp` and a real daemon, with the Python MCP SDK as the agent's framework:
/// run a snippet, then in a sandbox upload a project whose test fails, run the test, fix the file, rerun, talk
/// to a background server from a later step, read and list files, and close the sandbox.
@Suite(.serialized, .ownThread) struct MCPSessionTests {
    static let buggy = "def add(a, b):\n    return a - b\n"
    /// Not the buggy file's size: Python trusts a cached .pyc whose source has the same size and mtime second.
    static let fixed = "def add(a, b):\n    return a + b  # fixed\n"
    static let test = "from calc import add\nassert add(2, 3) == 5, 'add(2, 3) is %r' % add(2, 3)\nprint('tests passed')\n"
    /// A later step asking the background server (same session, loopback) for /work's listing.
    static let client = """
        import time, urllib.request
        for attempt in range(100):
            try:
                print(urllib.request.urlopen('http://127.0.0.1:8765/', timeout=2).read().decode()); break
            except OSError:
                time.sleep(0.1)
        """

    @Test func anAgentBuildsTestsFixesAndRerunsThroughMCP() throws {
        let daemon = try SharedDaemon.instance()
        let run = try MCPClientRun.run(brig: Daemon.executable.path, socket: daemon.socket, calls: [
            ("run_code", ["language": "python", "code": "print(input()[::-1])", "stdin": "olleh\n"]),             // 0
            ("run_code", ["language": "c", "code": "int main(void) { return missing; }"]),                     // 1
            ("create_sandbox", ["profile": "default", "ttl": "10m", "idle_ttl": "5m",
                                "files": [["path": "calc.py", "content": Self.buggy],
                                          ["path": "/work/test_calc.py", "content": Self.test]]]),            // 2
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["python3", "test_calc.py"]]),                       // 3
            ("write_file", ["sandbox_id": "$sandbox_id", "path": "calc.py", "content": Self.fixed]),           // 4
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": "python3 test_calc.py && echo rerun ok"]),           // 5
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["python3", "-m", "http.server", "8765", "--bind", "127.0.0.1"],
                      "background": true]),                                                                     // 6
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["python3", "-c", Self.client], "timeout": "30s"]),  // 7
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["sleep", "30"], "timeout": "1s"]),                 // 8
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["sh", "-c", "mkdir -p out && echo $GREETING > out/note.txt && pwd"],
                      "env": ["GREETING": "hi there"], "cwd": "/work"]),                                        // 9
            ("read_file", ["sandbox_id": "$sandbox_id", "path": "out/note.txt"]),                              // 10
            ("read_file", ["sandbox_id": "$sandbox_id", "path": "calc.py"]),                                   // 11
            ("list_files", ["sandbox_id": "$sandbox_id"]),                                                      // 12
            ("read_file", ["sandbox_id": "$sandbox_id", "path": "../etc/passwd"]),                             // 13
            ("close_sandbox", ["sandbox_id": "$sandbox_id"]),                                                   // 14
            ("exec", ["sandbox_id": "$sandbox_id", "cmd": ["true"]]),                                           // 15
        ])
        #expect(run.toolNames == ["run_code", "create_sandbox", "exec", "write_file", "read_file", "list_files", "close_sandbox"])
        #expect(run.report["transport_errors"] as? [String] == [])
        try #require(run.calls.count == 16, "\(run.calls)")

        #expect(run.answer(0)["status"] as? String == "ok", "\(run.answer(0))")
        #expect(run.answer(0)["stdout"] as? String == "hello\n")
        #expect(run.answer(1)["status"] as? String == "compile_error", "\(run.answer(1))")
        #expect((run.answer(1)["stderr"] as? String)?.contains("missing") == true)

        let sandbox = try #require(run.answer(2)["sandbox_id"] as? String, "\(run.calls[2])")
        #expect(run.answer(2)["state"] as? String == "active")
        // The failing test, its assertion in stderr.
        #expect(run.answer(3)["status"] as? String == "exit_nonzero", "\(run.answer(3))")
        #expect(run.answer(3)["exit_code"] as? Int == 1)
        #expect((run.answer(3)["stderr"] as? String)?.contains("add(2, 3) is -1") == true, "\(run.answer(3))")
        #expect(run.isError(4) == false, "\(run.calls[4])")
        // The fix persisted in the workspace.
        #expect(run.answer(5)["status"] as? String == "ok", "\(run.answer(5))")
        #expect(run.answer(5)["stdout"] as? String == "tests passed\nrerun ok\n")
        // A background server reached from a later step over loopback.
        #expect(run.answer(6)["status"] as? String == "running", "\(run.answer(6))")
        #expect((run.answer(7)["stdout"] as? String)?.contains("calc.py") == true, "\(run.answer(7))")
        // The taxonomy: a step past its timeout.
        #expect(run.answer(8)["status"] as? String == "timeout", "\(run.answer(8))")
        #expect((run.answer(8)["message"] as? String)?.contains("time limit") == true)
        #expect(run.answer(9)["stdout"] as? String == "/work\n", "\(run.answer(9))")
        #expect(run.answer(10)["content"] as? String == "hi there\n", "\(run.answer(10))")
        #expect(run.answer(11)["content"] as? String == Self.fixed)
        let entries = (run.answer(12)["entries"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(Set(["calc.py", "test_calc.py", "out"]).isSubset(of: Set(entries)), "\(run.answer(12))")
        // Escapes are refused as bad input, never read.
        #expect(run.isError(13) == true)
        #expect((run.answer(13)["error"] as? [String: Any])?["field"] as? String == "path")
        #expect(run.answer(14)["state"] as? String == "ended", "\(run.answer(14))")
        #expect(run.answer(14)["sandbox_id"] as? String == sandbox)
        // A closed sandbox runs nothing more: a tool error with the daemon's code.
        #expect(run.isError(15) == true, "\(run.calls[15])")
        #expect(((run.answer(15)["error"] as? [String: Any])?["code"] as? String)?.isEmpty == false)
    }
}
