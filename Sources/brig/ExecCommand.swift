import API
import ArgumentParser
import BrigCommandLine
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig exec`: submit a code job to the daemon, follow it, print its output, exit with its exit code.
struct ExecCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a program through the daemon and wait for it: its output, then a summary.",
        discussion: """
            Submits a code job, prints the program's stdout and stderr as it writes them, and a one-line \
            summary on stderr when it ends. On a terminal, stderr shows how long the job has been queued or \
            running. Ctrl-C cancels the job (a second one leaves at once).

            Exit status: as `brig run` (the program's own code; 128+N for signal N; 124 timeout; 123 out of \
            memory; 122 forbidden system call; 121 output limit; 130 cancelled; 125 the sandbox failed or \
            the job was lost); 1 when the source did not compile (the compiler's output is on stderr); \
            64 bad arguments or a request the daemon refused; 1 no such job; 69 the daemon is not \
            running; 75 the daemon is busy or draining; 77 no permission on the socket.

            Examples:
              brig exec python hello.py
              echo 'print(input()[::-1])' > rev.py; echo hello | brig exec python rev.py
              brig exec c prog.c --memory 64MiB --wall-time 2s -- first second
              cat main.go | brig exec go - --profile build --json
            """
    )

    @OptionGroup var options: ClientOptions
    @OptionGroup var job: JobSourceOptions

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let request = try job.request(wait: false)
        let start = ContinuousClock.now
        let (submitted, _) = try client.send("POST", APITarget.jobs, json: try Self.encode(request), expecting: SubmittedJob.self)
        if !options.json { CancelOnInterrupt.install() }
        let follower = JobEventFollower(
            client: client, echo: options.json ? .nothing : .output, progress: ProgressLine(), cancelOnInterrupt: !options.json)
        let finished = try follower.follow(submitted.id, status: submitted.status, since: start)
        if options.json {
            printJSON(finished.body)
        } else {
            follower.printStoredOutput(of: finished.job)
            StandardStream.error.write("brig: \(JobSummary(job: finished.job).line)\n")
        }
        return RunExitCode.of(finished.job)
    }

    static func encode(_ request: JobRequest) throws(ClientError) -> [UInt8] {
        do {
            return Array(try ClientJSON.encoder.encode(request))
        } catch {
            throw ClientError("encoding the request: \(error)", exitCode: .usage)
        }
    }
}
