import API
import ArgumentParser
import BrigCommandLine
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig status ID`: one job's state, times and how it ended.
struct StatusCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show one job: its state, times and how it ended.",
        discussion: """
            Examples:
              brig status 01J8Z3K4
              brig status 01J8Z3K4 --json | jq .result.exit_code
            """
    )

    @OptionGroup var options: ClientOptions

    @OptionGroup var job: JobIDArgument

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let (job, body) = try client.send("GET", APITarget.job(self.job.id), expecting: JobView.self)
        if options.json {
            printJSON(body)
            return 0
        }
        let now = Date()
        var lines: [(String, String)] = [("id", job.id), ("status", job.status.rawValue), ("language", job.language ?? job.kind), ("profile", job.profile)]
        lines.append(("created", "\(Self.timestamp(job.createdAt)) (\(ElapsedText.age(of: job.createdAt, now: now)) ago)"))
        if let started = job.startedAt { lines.append(("started", Self.timestamp(started))) }
        if let finished = job.finishedAt { lines.append(("finished", Self.timestamp(finished))) }
        if job.status.isTerminal {
            lines.append(("result", JobSummary(job: job).line))
        } else {
            let since = job.status == .running ? job.startedAt ?? job.createdAt : job.createdAt
            lines.append(("waiting", "\(job.status.rawValue) for \(ElapsedText.age(of: since, now: now))"))
            if let message = job.message, !message.isEmpty { lines.append(("message", message)) }
        }
        let width = lines.map(\.0.count).max() ?? 0
        StandardStream.output.write(lines.map { $0.0.padded(to: width) + "  " + $0.1 + "\n" }.joined())
        return 0
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}
