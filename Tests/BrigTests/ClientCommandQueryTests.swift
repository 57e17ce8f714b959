import Foundation
import TestSupport
import Testing

/// `brig jobs`, `status`, `logs`, `cancel`, `languages` and `profiles` against a fake daemon.
@Suite(.ownThread) struct ClientCommandQueryTests {
    /// A table's rows as lists of cells (cells are separated by two or more spaces).
    static func cells(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    @Test func jobsShowsOnePageAndSaysThereIsMore() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["jobs", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Self.cells(run.stdout)
        #expect(rows.first == ["ID", "STATUS", "LANGUAGE", "PROFILE", "AGE", "WALL"])
        #expect(rows.dropFirst().map { $0.first } == ["job-ok", "job-exit3"])
        #expect(rows.count == 3 && rows[2] == ["job-exit3", "exit_nonzero", "bash", "default", rows[2][4], "12.5ms"])
        #expect(rows.count == 3 && rows[2][4].hasSuffix("d"), "created long ago: an age in days")
        #expect(run.stderr == "brig: more jobs: brig jobs --after cursor-2, or --all\n")
        #expect(daemon.requestLines == ["GET /v1/jobs"])
    }

    @Test func jobsAllFollowsTheCursors() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["jobs", "--all", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.cells(run.stdout).dropFirst().map { $0.first } == ["job-ok", "job-exit3", "job-compile"])
        #expect(run.stderr.isEmpty)
        #expect(daemon.requestLines == ["GET /v1/jobs", "GET /v1/jobs?after=cursor-2"])
    }

    @Test func jobsAllJSONPrintsEachPageOnItsLine() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["jobs", "--all", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let pages = try run.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(pages.map { ($0["jobs"] as? [Any])?.count } == [2, 1])
        #expect(pages.first?["next"] as? String == "cursor-2")
    }

    @Test func jobsFiltersGoIntoTheQuery() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["jobs", "--status", "running", "--language", "c++", "--limit", "5", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(daemon.requestLines == ["GET /v1/jobs?status=running&language=c%2B%2B&limit=5"])
    }

    @Test func noJobsSaysSo() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["jobs", "--status", "lost", "--socket", daemon.socketPath])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "brig: no jobs with status lost\n")
    }

    @Test(arguments: [
        (["jobs", "--status", "finished"], "--status \"finished\": expected one of queued, running, ok"),
        (["jobs", "--limit", "0"], "--limit 0: expected 1 to 500"),
        (["status"], "Missing expected argument '<id>'"),
        (["logs", ""], "ID: give a job id"),
    ])
    func badArgumentsAreNamed(_ arguments: [String], _ message: String) throws {
        let run = try BrigInvocation.run(arguments + ["--socket", "/nonexistent/brig.sock"])
        #expect(run.status == 64)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func statusShowsTheJobFromAChunkedAnswer() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["status", "job-compile", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = Self.cells(run.stdout)
        #expect(lines.contains(["id", "job-compile"]))
        #expect(lines.contains(["status", "compile_error"]))
        #expect(lines.contains(["language", "c"]))
        #expect(lines.contains(["started", "2024-05-01T10:00:00Z"]))
        #expect(lines.contains(["result", "compile_error (compiler exit code 1) · wall 80.0ms · cpu 5.0ms · memory 3MiB · setup 1.5ms"]))
        #expect(daemon.requestLines == ["GET /v1/jobs/job-compile"])
    }

    @Test func statusJSONIsTheDaemonsObjectOnOneLine() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["status", "job-ok", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.filter { $0 == "\n" }.count == 1)
        let job = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(job["id"] as? String == "job-ok")
        #expect(job["created_at"] as? String == "2024-05-01T10:00:00Z")
    }

    @Test func anUnknownJobIsNotFound() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        for command in ["status", "logs", "cancel"] {
            let run = try BrigInvocation.run([command, "no such/job", "--socket", daemon.socketPath])
            #expect(run.status == 1)
            #expect(run.stderr == "brig: job no%20such%2Fjob does not exist (or is not yours)\n")
        }
        // The id is one path segment, percent-encoded.
        #expect(daemon.requestLines == ["GET /v1/jobs/no%20such%2Fjob", "GET /v1/jobs/no%20such%2Fjob", "DELETE /v1/jobs/no%20such%2Fjob"])
    }

    @Test func logsPrintsTheStoredOutput() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["logs", "job-late", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "stored out\n")
        #expect(run.stderr == "stored err\n")
        #expect(daemon.requestLines == ["GET /v1/jobs/job-late"])
    }

    @Test func logsPrintsCompilerOutputOnStderr() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["logs", "job-compile", "--socket", daemon.socketPath])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "prog.c:1:1: error: expected ';'\n")
    }

    @Test func logsFollowStreamsTheEvents() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["logs", "job-ok", "--follow", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "hello\nbytes\n")
        #expect(run.stderr == "warn\n")
        #expect(daemon.requestLines == ["GET /v1/jobs/job-ok/events"])
    }

    @Test func logsFollowJSONPrintsOneEventPerLine() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["logs", "job-exit3", "--follow", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let events = try run.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(events.map { $0["event"] as? String } == ["state", "stdout", "end"])
        #expect((events[1]["data"] as? [String: Any])?["text"] as? String == "partial\n")
        #expect((events[2]["data"] as? [String: Any])?["id"] as? String == "job-exit3")
    }

    @Test func cancelSaysWhatHappened() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let running = try BrigInvocation.run(["cancel", "job-slow", "--socket", daemon.socketPath])
        #expect(running.status == 0, "\(running.stderr)")
        #expect(running.stdout == "cancelled job-slow\n")
        let ended = try BrigInvocation.run(["cancel", "job-ok", "--socket", daemon.socketPath])
        #expect(ended.status == 0, "\(ended.stderr)")
        #expect(ended.stdout.hasPrefix("job-ok had already ended: ok · wall 12.5ms"))
        #expect(daemon.requestLines == ["DELETE /v1/jobs/job-slow", "DELETE /v1/jobs/job-ok"])
    }

    @Test func languagesIsATable() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["languages", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.cells(run.stdout) == [
            ["NAME", "VERSION", "IMAGE", "EXTENSIONS"],
            ["python", "Python 3.11.2", "host", ".py"],
            ["c", "-", "host", ".c .h"],
        ])
        #expect(daemon.requestLines == ["GET /v1/languages"])
    }

    @Test func languagesJSONCompactsAPrettyAnswerToOneLine() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["languages", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.filter { $0 == "\n" }.count == 1)
        let languages = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(languages.map { $0["name"] as? String } == ["python", "c"])
    }

    @Test func profilesIsATableFromAnAnswerEndedByClosing() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["profiles", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.cells(run.stdout) == [
            ["NAME", "WALL", "CPU", "MEMORY", "PIDS", "CONCURRENCY", "DESCRIPTION"],
            ["default", "10s", "5s", "256MiB", "64", "2", "Editor snippets"],
            ["tiny", "2s", "-", "64MiB", "-", "4", "Judge-like runs"],
        ])
        #expect(daemon.requestLines == ["GET /v1/profiles"])
    }

    @Test(arguments: ["exec", "submit", "jobs", "status", "logs", "cancel", "languages", "profiles"])
    func helpHasAnExample(_ command: String) throws {
        let run = try BrigInvocation.run([command, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:"))
        #expect(run.stdout.contains("brig \(command)"))
        #expect(run.stdout.contains("--socket"))
        #expect(run.stdout.contains("--json"))
    }
}
