import API
import ArgumentParser
import BrigCommandLine
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// `brig jobs`: the jobs the daemon knows (yours, or everyone's for an operator), newest first.
struct JobsCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs, newest first.",
        discussion: """
            Shows one page (--limit jobs); --all follows the pages to the oldest job. Operators see every \
            client's jobs, other users their own. With --json, prints each page as the daemon sends it.

            Examples:
              brig jobs
              brig jobs --status running
              brig jobs --language python --limit 10
              brig jobs --all --json
            """
    )

    @OptionGroup var options: ClientOptions

    @Option(help: ArgumentHelp("Only jobs in this state (\(SandboxStatus.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "status"))
    var status: String?

    @Option(help: "Only jobs in this language.")
    var language: String?

    @Option(help: "Jobs per page (1 to 500).")
    var limit: Int?

    @Option(help: ArgumentHelp("Start after this cursor (the `next` of an earlier page).", valueName: "cursor"))
    var after: String?

    @Flag(help: "Follow the pages to the end instead of showing one.")
    var all = false

    func validate() throws {
        if let status, SandboxStatus(rawValue: status) == nil {
            throw ValidationError("--status \(status.debugDescription): expected one of \(SandboxStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let limit, !(1...500).contains(limit) { throw ValidationError("--limit \(limit): expected 1 to 500") }
        if language?.isEmpty == true { throw ValidationError("--language: give a language name") }
    }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        var table = TextTable("ID", "STATUS", "LANGUAGE", "PROFILE", "AGE", "WALL")
        let now = Date()
        let more = try followPages(
            client, after: after, all: all,
            target: { APITarget.jobs(status: status, language: language, limit: limit, after: $0) },
            next: { (page: JobPage) in page.next }
        ) { page in
            for job in page.jobs {
                let wall = job.result.map { ResultSummary.format($0.wallTime) } ?? "-"
                table.append([job.id, job.status.rawValue, job.language ?? job.kind, job.profile, ElapsedText.age(of: job.createdAt, now: now), wall])
            }
        }
        guard !options.json else { return 0 }
        if table.rows.isEmpty {
            StandardStream.error.write("brig: no jobs\(status.map { " with status \($0)" } ?? "")\(language.map { " in \($0)" } ?? "")\n")
            return 0
        }
        StandardStream.output.write(table.text)
        if let more, !all {
            StandardStream.error.write("brig: more jobs: brig jobs --after \(more), or --all\n")
        }
        return 0
    }
}
