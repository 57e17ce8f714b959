import API
import ArgumentParser
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig logs ID`: a job's stored output; with --follow, its output as it runs.
struct LogsCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's output: the program's stdout on stdout, its stderr and compiler output on stderr.",
        discussion: """
            The daemon stores a job's output when the job ends. --follow streams it while the job runs and \
            returns when it ends; with --json, --follow prints every event as one JSON line \
            ({"event": ..., "data": ...}), without it --json prints the job as stored.

            Examples:
              brig logs 01J8Z3K4
              brig logs 01J8Z3K4 --follow
              brig logs 01J8Z3K4 --follow --json
            """
    )

    @OptionGroup var options: ClientOptions

    @OptionGroup var job: JobIDArgument

    @Flag(help: "Stream the output as the job runs, until it ends.")
    var follow = false

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        if follow {
            let follower = JobEventFollower(client: client, echo: options.json ? .eventLines : .output, progress: nil)
            let finished = try follower.follow(self.job.id, status: .running, since: .now)
            follower.printStoredOutput(of: finished.job)
            return 0
        }
        let (job, body) = try client.send("GET", APITarget.job(self.job.id), expecting: JobView.self)
        if options.json {
            printJSON(body)
            return 0
        }
        JobEventFollower(client: client, echo: .output, progress: nil).printStoredOutput(of: job)
        if !job.status.isTerminal {
            StandardStream.error.write("brig: job \(job.id) is \(job.status.rawValue); its output is stored when it ends (brig logs \(job.id) --follow streams it)\n")
        }
        return 0
    }
}
