import API
import ArgumentParser
import DaemonClient

/// `brig submit`: queue a code job and print its id, without waiting.
struct SubmitCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue a program with the daemon and print the job's id.",
        discussion: """
            The job runs in the background; follow it with `brig logs ID --follow`, see it with \
            `brig status ID`, stop it with `brig cancel ID`. With --json, prints the daemon's answer.

            Examples:
              brig submit python train.py --profile build --wall-time 30s
              id=$(brig submit bash - < script.sh) && brig logs "$id" --follow
            """
    )

    @OptionGroup var options: ClientOptions
    @OptionGroup var job: JobSourceOptions

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let request = try job.request(wait: false)
        let (submitted, body) = try client.send("POST", APITarget.jobs, json: try ExecCommand.encode(request), expecting: SubmittedJob.self)
        if options.json {
            printJSON(body)
        } else {
            StandardStream.output.write(submitted.id + "\n")
        }
        return 0
    }
}
