import API
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// Follows `GET /v1/jobs/{id}/events` to the job's end: prints output chunks as they arrive (the run step's
/// stdout on stdout, everything else on stderr), shows how long the job has been queued or running, and
/// returns the finished job from the "end" event.
final class JobEventFollower {
    /// What to print while following.
    enum Echo {
        /// The program's output, as it comes.
        case output
        /// Every event as one JSON line `{"event": ..., "data": ...}` (`brig logs --follow --json`).
        case eventLines
        /// Nothing (`brig exec --json` prints the finished job instead).
        case nothing
    }

    struct Finished {
        let job: JobView
        /// The job as the daemon sent it, for `--json`.
        let body: [UInt8]
    }

    private let client: UnixHTTPClient
    private let echo: Echo
    private let progress: ProgressLine?
    private let cancelOnInterrupt: Bool
    /// "run/stdout", "compile/stderr", ...: the streams of which output arrived live.
    private var streamed: Set<String> = []

    /// How often the progress line is redrawn, and interrupts are noticed, in milliseconds.
    private static let tick: Int32 = 200

    init(client: UnixHTTPClient, echo: Echo, progress: ProgressLine?, cancelOnInterrupt: Bool = false) {
        self.client = client
        self.echo = echo
        self.progress = progress
        self.cancelOnInterrupt = cancelOnInterrupt
    }

    func follow(_ id: String, status: SandboxStatus, since start: ContinuousClock.Instant) throws(ClientError) -> Finished {
        defer { progress?.clear() }
        let stream = try client.events(APITarget.events(of: id))
        var phase = status == .running ? "running" : "queued"
        var phaseStart = start
        var cancelSent = false
        while true {
            if cancelOnInterrupt && CancelOnInterrupt.requested && !cancelSent {
                cancelSent = true
                progress?.clear()
                do throws(ClientError) {
                    _ = try client.send("DELETE", APITarget.job(id))
                    phase = "cancelling"
                } catch {
                    StandardStream.error.write("brig: cancelling job \(id): \(error.message)\n")
                }
            }
            switch try stream.next(timeout: Self.tick) {
            case .idle:
                progress?.show("\(phase) \(ElapsedText.seconds(ContinuousClock.now - phaseStart))")
            case .end:
                return try finishedAfterStreamEnd(id)
            case .event(let event):
                if echo == .eventLines { printEventLine(event) }
                switch event.event {
                case "state":
                    let change = try? ClientJSON.decoder.decode(StateChange.self, from: Data(event.data.utf8))
                    if change?.status == SandboxStatus.running.rawValue && phase == "queued" {
                        phase = "running"
                        phaseStart = .now
                    }
                case "stdout", "stderr":
                    try printChunk(event)
                case "end":
                    progress?.clear()
                    let body = Array(event.data.utf8)
                    return Finished(job: try ClientJSON.decode(JobView.self, from: body, what: "the \"end\" event of job \(id)"), body: body)
                default:
                    break
                }
            }
        }
    }

    /// The output the events did not bring (the job ended before the stream began, or the daemon does not
    /// stream that step): compile output on stderr, the run's stdout and stderr where they belong.
    func printStoredOutput(of job: JobView) {
        guard echo == .output else { return }
        let steps: [(String, SandboxResult?)] = [("compile", job.compile), ("run", job.result)]
        for (step, result) in steps {
            guard let result else { continue }
            for (name, output) in [("stdout", result.stdout), ("stderr", result.stderr)]
            where !output.bytes.isEmpty && !streamed.contains("\(step)/\(name)") {
                write(output.bytes, step: step, stream: name)
            }
        }
    }

    private func printChunk(_ event: ServerSentEvent) throws(ClientError) {
        let chunk = try ClientJSON.decode(OutputChunk.self, from: Array(event.data.utf8), what: "a \"\(event.event)\" event")
        let step = chunk.step ?? "run"
        streamed.insert("\(step)/\(event.event)")
        guard echo == .output else { return }
        let bytes: [UInt8]
        if let text = chunk.text {
            bytes = Array(text.utf8)
        } else if let encoded = chunk.data, let data = Data(base64Encoded: encoded) {
            bytes = Array(data)
        } else {
            throw .protocolViolation("a \"\(event.event)\" event has neither text nor base64 data: \(event.data)")
        }
        write(bytes, step: step, stream: event.event)
    }

    private func write(_ bytes: [UInt8], step: String, stream: String) {
        progress?.clear()
        (step == "run" && stream == "stdout" ? StandardStream.output : StandardStream.error).write(bytes)
        progress?.noteOutput(bytes)
    }

    private func printEventLine(_ event: ServerSentEvent) {
        let data = event.data.isEmpty ? "null" : event.data
        let line = "{\"event\":\(Self.jsonString(event.event)),\"data\":\(data)}"
        StandardStream.output.write(ClientJSON.line(Array(line.utf8)))
    }

    private static func jsonString(_ text: String) -> String {
        (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
    }

    /// The stream closed without an "end" event (the daemon restarted, say): the job as it is now.
    private func finishedAfterStreamEnd(_ id: String) throws(ClientError) -> Finished {
        let (job, body) = try client.send("GET", APITarget.job(id), expecting: JobView.self)
        guard job.status.isTerminal else {
            throw ClientError(
                "the event stream of job \(id) ended before the job did (it is \(job.status.rawValue)); `brig status \(id)` shows it later",
                exitCode: .unavailable)
        }
        return Finished(job: job, body: body)
    }

    /// `data` of a "state" event.
    private struct StateChange: Decodable {
        let status: String
    }

    /// `data` of a "stdout" or "stderr" event: UTF-8 `text`, or base64 `data` for bytes that are not UTF-8.
    private struct OutputChunk: Decodable {
        let step: String?
        let text: String?
        let data: String?
    }
}
