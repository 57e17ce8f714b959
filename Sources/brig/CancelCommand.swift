import API
import ArgumentParser
import DaemonClient

/// `brig cancel ID`: stop a queued or running job.
struct CancelCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued or running job.",
        discussion: """
            A queued job never runs; a running one is killed and ends as `cancelled`. A job that has already \
            ended stays as it was (brig says how it ended).

            Examples:
              brig cancel 01J8Z3K4
              brig cancel 01J8Z3K4 --json
            """
    )

    @OptionGroup var options: ClientOptions

    @OptionGroup var job: JobIDArgument

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let (job, body) = try client.send("DELETE", APITarget.job(self.job.id), expecting: JobView.self)
        if options.json {
            printJSON(body)
        } else if job.status == .cancelled || !job.status.isTerminal {
            // The daemon may answer before the sandbox is gone: still running, on its way to cancelled.
            StandardStream.output.write("cancelled \(job.id)\n")
        } else {
            StandardStream.output.write("\(job.id) had already ended: \(JobSummary(job: job).line)\n")
        }
        return 0
    }
}
