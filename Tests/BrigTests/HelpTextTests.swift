import Foundation
import Testing

/// Every command's `--help` reads as prose: ArgumentParser wraps a discussion at 79 columns and keeps the
/// source's line breaks, so a discussion written over several source lines without `\` continuations (or
/// with an escaped `\\` that prints a backslash) comes out with lines cut short in mid-sentence.
@Suite struct HelpTextTests {
    static let commands: [[String]] = [
        [], ["serve"], ["run"], ["exec"], ["submit"], ["jobs"], ["status"], ["logs"], ["cancel"], ["languages"],
        ["profiles"], ["bench"], ["session"], ["session", "create"], ["session", "exec"], ["session", "cp"],
        ["session", "ls"], ["session", "rm"], ["session", "list"], ["mcp"], ["runbook"], ["runbook", "drain"],
        ["runbook", "resume"], ["runbook", "health-check"], ["runbook", "reap"], ["runbook", "self-test"],
        ["runbook", "emergency-stop"],
    ]

    @Test(arguments: commands)
    func helpIsWrappedAsProse(_ command: [String]) throws {
        let run = try BrigInvocation.run(command + ["--help"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count > 3)
        for (line, next) in zip(lines, lines.dropFirst()) {
            #expect(!line.hasSuffix("\\"), "a stray backslash: \(line.debugDescription)")
            // Paragraph text only: indented lines are options, examples and tables.
            guard !line.isEmpty, !next.isEmpty, !line.hasPrefix(" "), !next.hasPrefix(" "), !line.hasSuffix(":")
            else { continue }
            let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
            #expect(line.count + 1 + nextWord.count > 79, "cut short: \(line.debugDescription) then \(next.debugDescription)")
        }
    }

    @Test func versionIsPrinted() throws {
        let run = try BrigInvocation.run(["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.range(of: #"^\d+\.\d+\.\d+\S*\n$"#, options: .regularExpression) != nil, "\(run.stdout)")
    }
}
