import API
import Engine
import Foundation
import Sandbox
import TestSupport
import Testing

/// Code jobs through a real daemon's socket.
@Suite(.serialized, .ownThread) struct CodeJobTests {
    struct Program: Sendable, CustomTestStringConvertible {
        let language: String
        let source: String
        var testDescription: String { language }
    }

    /// Reads a line from stdin and an argument, prints both, exits 3: the same program in every language.
    static let programs = [
        Program(language: "python", source: "import sys\nprint('hello', input(), sys.argv[1])\nsys.exit(3)\n"),
        Program(language: "javascript", source: "const l = require('fs').readFileSync(0, 'utf8').trim();\nconsole.log('hello', l, process.argv[2]);\nprocess.exit(3);\n"),
        Program(language: "bash", source: "read l\necho hello $l $1\nexit 3\n"),
        Program(language: "perl", source: "my $l = <STDIN>; chomp $l; print \"hello $l $ARGV[0]\\n\"; exit 3;\n"),
        Program(language: "c", source: "#include <stdio.h>\nint main(int c, char **v) { char l[64]; scanf(\"%63s\", l); printf(\"hello %s %s\\n\", l, v[1]); return 3; }\n"),
        Program(language: "cpp", source: "#include <iostream>\n#include <string>\nint main(int c, char **v) { std::string l; std::cin >> l; std::cout << \"hello \" << l << \" \" << v[1] << std::endl; return 3; }\n"),
        Program(language: "java", source: "public class Main { public static void main(String[] a) { String l = new java.util.Scanner(System.in).next(); System.out.println(\"hello \" + l + \" \" + a[0]); System.exit(3); } }\n"),
        Program(language: "swift", source: "let l = readLine() ?? \"\"\nprint(\"hello\", l, CommandLine.arguments[1])\nimport Glibc\nexit(3)\n"),
        Program(language: "ruby", source: "l = $stdin.gets.chomp\nputs \"hello #{l} #{ARGV[0]}\"\nexit 3\n"),
        Program(language: "go", source: "package main\nimport (\"bufio\"; \"fmt\"; \"os\")\nfunc main() { s := bufio.NewScanner(os.Stdin); s.Scan(); fmt.Println(\"hello\", s.Text(), os.Args[1]); os.Exit(3) }\n"),
    ]

    static func body(_ program: Program, wait: Bool) -> String {
        let object: [String: Any] = [
            "language": program.language, "source": program.source, "stdin": "stdin-line\n", "args": ["arg1"], "wait": wait,
        ]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    @Test(arguments: programs)
    func everyLanguageRunsSynchronouslyAndAsynchronously(program: Program) throws {
        let daemon = try SharedDaemon.instance()
        let languages = try daemon.request("GET", "/v1/languages").text
        try #require(languages.contains("\"\(program.language)\""), "\(program.language) is not served: \(languages)")

        let synchronous = try daemon.submit(Self.body(program, wait: true))
        #expect(synchronous.status == 200, "\(synchronous.text)")
        let done = try synchronous.job()
        #expect(done.status == .exitNonzero, "\(program.language): \(synchronous.text)")
        #expect(done.result?.exitCode == 3)
        #expect(done.result?.stdout.text == "hello stdin-line arg1\n")
        // The synchronous answer (the job as its end event carried it) is the job as stored, byte for byte.
        #expect(try daemon.request("GET", "/v1/jobs/\(done.id)").text == synchronous.text)

        let accepted = try daemon.submit(Self.body(program, wait: false))
        #expect(accepted.status == 202)
        let queued = try accepted.job()
        #expect(queued.status == .queued || queued.status == .running)
        let finished = try daemon.finished(queued.id)
        #expect(finished.result?.stdout.text == "hello stdin-line arg1\n")
        #expect(finished.result?.exitCode == 3)
    }

    @Test func compileErrorsComeBackWithTheCompilersOutput() throws {
        let daemon = try SharedDaemon.instance()
        let response = try daemon.submit(#"{"language":"c","source":"int main(void) { return missing; }","wait":true}"#)
        let job = try response.job()
        #expect(job.status == .compileError)
        #expect(job.compile?.stderr.text.contains("missing") == true)
        #expect(job.result == nil)
    }

    @Test func cancellingARunningLoopEndsItAsCancelled() throws {
        let daemon = try SharedDaemon.instance()
        let marker = "brigloop\(getpid())"
        let accepted = try daemon.submit(#"{"language":"bash","source":"exec -a \#(marker) bash -c 'sleep 300 & while :; do :; done'"}"#).job()
        let deadline = Date().addingTimeInterval(30)
        while try daemon.request("GET", "/v1/jobs/\(accepted.id)").job().status != .running && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let cancelled = try daemon.request("DELETE", "/v1/jobs/\(accepted.id)").job()
        #expect(cancelled.status == .cancelled)
        #expect(try daemon.finished(accepted.id).status == .cancelled)
        // The loop and its background sleep are gone from the host.
        #expect(Self.hostProcesses(named: marker).isEmpty)
    }

    static func hostProcesses(named marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return String(decoding: cmdline, as: UTF8.self).contains(marker)
        }
    }

    @Test func eventsShowOutputBeforeTheJobEnds() throws {
        let daemon = try SharedDaemon.instance()
        let accepted = try daemon.submit(#"{"language":"bash","source":"echo first; sleep 1.5; echo second"}"#).job()
        // curl -N prints each event as it comes; stamp the lines as they arrive.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "--max-time", "30", "--unix-socket", daemon.socket, "http://brig/v1/jobs/\(accepted.id)/events"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var arrivals: [(Date, String)] = []
        var buffer = Data()
        let handle = output.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            arrivals.append((Date(), String(decoding: chunk, as: UTF8.self)))
        }
        process.waitUntilExit()
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains("event: stdout"))
        #expect(text.contains("event: end"))
        let firstOutput = try #require(arrivals.first { $0.1.contains("first") }?.0)
        let end = try #require(arrivals.first { $0.1.contains("event: end") }?.0)
        #expect(end.timeIntervalSince(firstOutput) > 1, "output arrived only with the end:\n\(text)")
        // The end event's data (encoded only when a follower asks for it) is the job as GET shows it.
        let endData = text.components(separatedBy: "event: end\ndata: ").last?.split(separator: "\n").first.map(String.init)
        let stored = try daemon.request("GET", "/v1/jobs/\(accepted.id)")
        #expect(endData == stored.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func twoHundredSubmissionsFromFourClientsAllComplete() throws {
        let daemon = try SharedDaemon.instance()
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { client in
            for index in 0..<50 {
                let expected = client * 1000 + index
                do {
                    let job = try daemon.submit(#"{"language":"bash","source":"echo $((\#(expected) * 2))","wait":true}"#).job()
                    results.add(job.status == .ok && job.result?.stdout.text == "\(expected * 2)\n")
                } catch {
                    results.add(false)
                }
            }
        }
        #expect(results.count == 200)
        #expect(results.failures == 0)
    }
}

final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var count = 0
    private(set) var failures = 0
    func add(_ ok: Bool) {
        lock.lock()
        count += 1
        if !ok { failures += 1 }
        lock.unlock()
    }
}

/// One daemon for the tests that only need a working one (starting one per test costs a second each).
enum SharedDaemon {
    nonisolated(unsafe) private static var daemon: Daemon?
    private static let lock = NSLock()

    static func instance() throws -> Daemon {
        lock.lock()
        defer { lock.unlock() }
        if let daemon { return daemon }
        let started = try Daemon(slots: 2)
        daemon = started
        atexit { SharedDaemon.stopAtExit() }
        return started
    }

    private static func stopAtExit() {
        daemon?.stop()
        if let directory = daemon?.directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}
