import API
import Catalog
import Foundation
import Sandbox
import Store

extension SessionEngine {
    static let maxArguments = 256
    static let endMargin = Duration.seconds(30)

    /// What one step runs with, checked: every refusal names the field.
    struct StepPlan {
        var argv: [String]
        var environment: [String: String]
        var workingDirectory: String
        var limits: SandboxLimits
        var stdin: [UInt8]
    }

    /// Checks a step against its session: argv, environment, cwd (must exist under /work), limits within the
    /// profile's maxima, the remaining session CPU budget and lifetime. A background step without a timeout
    /// may run until the session ends, on what is left of the session's CPU budget.
    func plan(
        argv: [String], stdin: String?, env: [String: String]?, cwd: String?, timeout: String?, limits requested: RequestedLimits?,
        background: Bool, session: LiveSession, record: SessionRecord
    ) throws(APIError) -> StepPlan {
        if argv.isEmpty || argv[0].isEmpty { throw APIError("invalid_cmd", "the command is empty", field: "cmd") }
        if argv.count > Self.maxArguments { throw APIError("invalid_cmd", "at most \(Self.maxArguments) arguments", field: "cmd") }
        if let bad = argv.firstIndex(where: { $0.utf8.contains(0) }) {
            throw APIError("invalid_cmd", "an argument may not contain a NUL byte", field: "cmd[\(bad)]")
        }
        var environment = session.image.environment
        for (key, value) in env ?? [:] {
            if key.isEmpty || key.contains("=") || key.utf8.contains(0) || value.utf8.contains(0) {
                throw APIError("invalid_env", "\(key.debugDescription) is not a valid environment variable", field: "env.\(key)")
            }
            environment[key] = value
        }
        let directory = cwd ?? "/work"
        var relative = ""
        if directory != "/work" && directory != "/work/" {
            guard directory.hasPrefix("/work/") else {
                throw APIError("invalid_cwd", "the working directory must be /work or under it", field: "cwd")
            }
            relative = String(directory.dropFirst("/work/".count))
            if relative.hasSuffix("/") { relative.removeLast() }
            if let problem = WorkspacePath.problem(relative) {
                throw APIError("invalid_cwd", "\(directory.debugDescription): \(problem)", field: "cwd")
            }
            do {
                _ = try session.workspace.entries(under: relative, recursive: false, limit: 0)
            } catch {
                throw APIError("invalid_cwd", "\(directory) is not a directory in the workspace", field: "cwd")
            }
        }
        var limits = requested == nil ? session.defaults : try Self.limits(session.profile, requested)
        let now = Date()
        let remainingLife = session.expiresAt.timeIntervalSince(now)
        let remainingCPU = session.cpuBudget - .milliseconds(record.cpuTimeMs)
        if remainingLife <= 0 { throw APIError("session_ended", "the session's lifetime is over", httpStatus: 409) }
        if remainingCPU <= .zero {
            throw APIError("session_cap_reached", "the session has used its \(DurationText(session.cpuBudget)) of CPU time", field: "cpu_time", httpStatus: 409)
        }
        let lifetime = Duration.milliseconds(Int64(remainingLife * 1000))
        if let wall = try Self.duration(timeout, field: "timeout") {
            if !background && wall > session.profile.maxima.wallTime {
                throw APIError("invalid_limits", "timeout is at most \(DurationText(session.profile.maxima.wallTime)) in profile \(session.profile.name)", field: "timeout")
            }
            limits.wallTime = min(wall, lifetime)
        } else if background && requested?.wallTime == nil {
            // Past the session's end by a margin: the sweeper ends it, and says so, not a timeout.
            limits.wallTime = lifetime + Self.endMargin
        }
        limits.wallTime = min(limits.wallTime, lifetime + Self.endMargin)
        if background && requested?.cpuTime == nil {
            limits.cpuTime = remainingCPU
        }
        limits.cpuTime = min(limits.cpuTime, remainingCPU)
        limits.workspaceBytes = session.profile.limits.workspaceBytes
        return StepPlan(
            argv: argv, environment: environment, workingDirectory: directory, limits: limits,
            stdin: Array((stdin ?? "").utf8))
    }

    // MARK: SessionService: steps

    public func exec(_ request: ExecRequest, session id: String, peer: Peer) async throws(APIError) -> StepView {
        let (record, session) = try liveSession(id, peer: peer)
        let background = request.background == true
        let plan = try plan(
            argv: request.cmd.argv, stdin: request.stdin, env: request.env, cwd: request.cwd, timeout: request.timeout,
            limits: request.limits, background: background, session: session, record: record)
        let (step, running) = try startStep(plan, background: background, closeInput: request.waits, session: session)
        guard request.waits else { return stepView(of: step) }
        let events = hub.subscribe(step.id)
        if running.isFinished { return try stepNow(step.id, session: id, peer: peer) }
        for await event in events where event.kind == "end" { break }
        return try stepNow(step.id, session: id, peer: peer)
    }

    /// Records the step, then runs it on a thread of its own. Refuses past the running bounds (429) or the
    /// session's step cap (409).
    func startStep(
        _ plan: StepPlan, background: Bool, closeInput: Bool, session: LiveSession
    ) throws(APIError) -> (StepRecord, RunningStep) {
        let control: SandboxControl
        let cancellation: CancellationSignal
        do {
            control = try SandboxControl()
            cancellation = try CancellationSignal()
        } catch {
            throw APIError("sandbox_failed", "cannot prepare the step: \(error)", httpStatus: 503, retryAfter: 1)
        }
        // Admission: count the step before it exists, so two racing execs cannot both pass the bound.
        let admitted = session.running.withLock { running -> Bool in
            guard running.count < configuration.maxRunningPerSession else { return false }
            guard runningSteps.add(1, ordering: .relaxed).newValue <= configuration.maxRunning else {
                runningSteps.subtract(1, ordering: .relaxed)
                return false
            }
            return true
        }
        guard admitted else {
            throw APIError(
                "too_many_steps", "at most \(configuration.maxRunningPerSession) steps run at once in a session (\(configuration.maxRunning) in all); wait for one to end",
                httpStatus: 429, retryAfter: 1)
        }
        let now = Date()
        let inserted: Result<StepRecord, StepRefusal>
        do {
            inserted = try store.insertStep(
                StepRecord(
                    id: Self.newID(prefix: "st_"), sessionID: session.id, command: try JSONEncoder().encode(plan.argv),
                    background: background, createdAt: now),
                maxSteps: session.maxSteps)
        } catch {
            runningSteps.subtract(1, ordering: .relaxed)
            throw APIError("store_failed", "cannot store the step: \(error)", httpStatus: 503, retryAfter: 1)
        }
        let step: StepRecord
        switch inserted {
        case .success(let stored):
            step = stored
        case .failure(.stepCap(let cap)):
            runningSteps.subtract(1, ordering: .relaxed)
            throw APIError("session_cap_reached", "the session has run its \(cap) steps", field: "steps", httpStatus: 409)
        case .failure(.sessionEnded(let state)):
            runningSteps.subtract(1, ordering: .relaxed)
            throw APIError("session_ended", "the session is \(state)", httpStatus: 409)
        }
        let running = RunningStep(id: step.id, background: background, control: control, cancellation: cancellation)
        session.running.withLock { $0[step.id] = running }
        try? store.markStepRunning(id: step.id, at: Date())
        if closeInput { control.send(.closeInput) }
        let spec = SandboxSpec(
            command: plan.argv, environment: plan.environment, binds: session.image.binds, limits: plan.limits,
            stdin: plan.stdin, workingDirectory: plan.workingDirectory, workspace: session.workspace,
            network: session.network, control: control)
        let thread = Thread { [self] in runStep(spec, running: running, session: session) }
        thread.name = "brig-step"
        thread.start()
        let stored = (try? store.step(id: step.id)).flatMap { $0 } ?? step
        return (stored, running)
    }

    /// The step's thread: runs it, stores the result, frees its place and publishes the end.
    private func runStep(_ spec: SandboxSpec, running: RunningStep, session: LiveSession) {
        hub.publish(JobEvent(kind: "state", data: #"{"status":"running"}"#), to: running.id)
        // Watched like a job's run: the watchdog's backstop and an emergency stop reach session steps too.
        let result = jobs.runWatched(running.id, spec, cancellation: running.cancellation) { [hub] stream, chunk in
            let bytes = Array(chunk)
            running.output.withLock { output in
                if stream == .stdout { output.stdout += bytes } else { output.stderr += bytes }
            }
            let payload: String
            if let text = String(validating: bytes, as: UTF8.self) {
                payload = #"{"step":"\#(running.id)","text":\#(APIJSON.text(text))}"#
            } else {
                payload = #"{"step":"\#(running.id)","base64":"\#(Data(bytes).base64EncodedString())"}"#
            }
            hub.publish(JobEvent(kind: stream.rawValue, data: payload), to: running.id)
        }
        let message = result.failure?.message ?? (result.status == .cancelled ? running.stopReason.withLock { $0 } : nil)
        let cpuMilliseconds = (result.cpuUserTime + result.cpuSystemTime).components
        do {
            try store.finishStep(
                id: running.id, status: result.status.rawValue, result: try JSONEncoder().encode(result), message: message,
                at: Date())
            try store.addSessionCPUTime(
                id: session.id,
                milliseconds: cpuMilliseconds.seconds * 1000 + cpuMilliseconds.attoseconds / 1_000_000_000_000_000)
        } catch {
            logger.error("cannot store a step's end", metadata: ["step.id": "\(running.id)", "error": "\(error)"])
        }
        touch(session.id)
        running.finished()
        _ = session.running.withLock { $0.removeValue(forKey: running.id) }
        runningSteps.subtract(1, ordering: .relaxed)
        let final = (try? store.step(id: running.id)).flatMap { $0 }.map(stepView(of:))
        hub.publish(JobEvent(kind: "end", data: final.map(APIJSON.text) ?? #"{"id":"\#(running.id)"}"#), to: running.id)
    }

    public func steps(session id: String, peer: Peer) async throws(APIError) -> StepList {
        _ = try visibleSession(id, peer: peer)
        do {
            return StepList(steps: try store.steps(sessionID: id).map(stepView(of:)))
        } catch {
            throw APIError("store_failed", "cannot read the steps: \(error)", httpStatus: 503, retryAfter: 1)
        }
    }

    public func step(_ stepID: String, session id: String, peer: Peer) async throws(APIError) -> StepView {
        try stepNow(stepID, session: id, peer: peer)
    }

    func stepNow(_ stepID: String, session id: String, peer: Peer) throws(APIError) -> StepView {
        stepView(of: try stepRecord(stepID, session: id, peer: peer))
    }

    func stepRecord(_ stepID: String, session id: String, peer: Peer) throws(APIError) -> StepRecord {
        _ = try visibleSession(id, peer: peer)
        let record: StepRecord?
        do {
            record = try store.step(id: stepID)
        } catch {
            throw APIError("store_failed", "cannot read step \(stepID): \(error)", httpStatus: 503, retryAfter: 1)
        }
        guard let record, record.sessionID == id else { throw APIError.notFound("step \(stepID) of session \(id)") }
        return record
    }

    /// The step while it runs in this daemon, or `step_not_running` (409).
    func runningStep(_ stepID: String, session id: String, peer: Peer) throws(APIError) -> RunningStep {
        let record = try stepRecord(stepID, session: id, peer: peer)
        guard let running = live.withLock({ $0[id] })?.running.withLock({ $0[stepID] }) else {
            throw APIError("step_not_running", "step \(stepID) is \(record.status), not running", httpStatus: 409)
        }
        return running
    }

    public func output(step stepID: String, session id: String, peer: Peer) async throws(APIError) -> StepOutput {
        let record = try stepRecord(stepID, session: id, peer: peer)
        touch(id)
        if let running = live.withLock({ $0[id] })?.running.withLock({ $0[stepID] }) {
            let (stdout, stderr) = running.output.withLock { $0 }
            return StepOutput(
                stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
                stdoutBytes: stdout.count, stderrBytes: stderr.count, stdoutTruncated: false, stderrTruncated: false,
                running: true)
        }
        let result = stepView(of: record).result
        return StepOutput(
            stdout: result?.stdout.text ?? "", stderr: result?.stderr.text ?? "",
            stdoutBytes: result?.stdout.totalBytes ?? 0, stderrBytes: result?.stderr.totalBytes ?? 0,
            stdoutTruncated: result?.stdout.truncated ?? false, stderrTruncated: result?.stderr.truncated ?? false,
            running: false)
    }

    public func events(step stepID: String, session id: String, peer: Peer) async throws(APIError) -> AsyncStream<JobEvent> {
        let live = hub.subscribe(stepID)
        let current = try stepNow(stepID, session: id, peer: peer)
        return EventHub.stream(following: live, status: current.status, endData: APIJSON.text(current))
    }

    public func signal(_ signal: Int32, step stepID: String, session id: String, peer: Peer) async throws(APIError) -> StepView {
        guard (1...64).contains(signal) else { throw APIError("invalid_signal", "\(signal) is not a signal number", field: "signal") }
        let running = try runningStep(stepID, session: id, peer: peer)
        touch(id)
        running.control.send(.signal(signal))
        return try stepNow(stepID, session: id, peer: peer)
    }

    public func input(_ input: StepInput, step stepID: String, session id: String, peer: Peer) async throws(APIError) -> StepView {
        var bytes: [UInt8] = []
        if let data = input.data {
            switch input.encoding ?? "utf8" {
            case "utf8": bytes = Array(data.utf8)
            case "base64":
                guard let decoded = Data(base64Encoded: data) else {
                    throw APIError("invalid_encoding", "the data is not valid base64", field: "data")
                }
                bytes = Array(decoded)
            default:
                throw APIError("invalid_encoding", "encoding must be \"utf8\" or \"base64\"", field: "encoding")
            }
        }
        let running = try runningStep(stepID, session: id, peer: peer)
        touch(id)
        if !bytes.isEmpty { running.control.send(.input(bytes)) }
        if input.close == true { running.control.send(.closeInput) }
        return try stepNow(stepID, session: id, peer: peer)
    }

    public func cancel(step stepID: String, session id: String, peer: Peer) async throws(APIError) -> StepView {
        let record = try stepRecord(stepID, session: id, peer: peer)
        guard let running = live.withLock({ $0[id] })?.running.withLock({ $0[stepID] }) else {
            return stepView(of: record)
        }
        let events = hub.subscribe(stepID)
        running.stop(because: "cancelled by the client")
        if !running.isFinished {
            for await event in events where event.kind == "end" { break }
        }
        return try stepNow(stepID, session: id, peer: peer)
    }
}
