import API
import Catalog
import Foundation
import Sandbox

extension JobEngine {
    /// Runs one job on the calling worker thread: workspace, files, compile (if any), run, store, publish.
    /// `spare`: the worker's spare sandboxes; the job runs in one when one of its shape can be had, and hands
    /// it back to be closed.
    func execute(_ job: PreparedJob, spare: WarmSpare? = nil) {
        guard let language = job.language else {
            executeAgent(job)
            return
        }
        guard let cancellation = register(job) else { return }
        defer { _ = running.withLock { $0.removeValue(forKey: job.id) } }
        // Followers hear "running" now; the store records it (as of now) once the program is on its way, so
        // that the commit overlaps the program instead of delaying it. A job whose sandbox never starts is
        // recorded before its end, as every job passes through running.
        hub.publish(JobEvent(kind: "state", data: Self.runningState), to: job.id)
        let takenAt = Date()
        var recorded = false
        let recordRunning = { [self] in
            guard !recorded else { return }
            recorded = true
            markRunning(job.id, at: takenAt)
        }
        let place: SandboxPlace
        do {
            place = try sandboxPlace(for: job, spare: spare)
        } catch {
            recordRunning()
            finish(job.id, status: .internalError, message: "cannot prepare the sandbox: \(error)", compile: nil, result: nil)
            return
        }
        // Released once the end is stored and published: a used warm sandbox's release sets its spare thread
        // preparing the next one, a clone of this daemon whose copying would compete with storing this job's end
        // and answering it.
        defer { place.release() }
        let outcome = run(job, language: language, in: place, cancellation: cancellation, onStart: recordRunning)
        recordRunning()
        finish(job.id, status: outcome.status, message: outcome.message, compile: outcome.compile, result: outcome.result)
    }

    /// A code job's steps in one workspace: compile (if its language is compiled), then run.
    private func run(
        _ job: PreparedJob, language: Language, in place: SandboxPlace, cancellation: CancellationSignal,
        onStart: @escaping () -> Void
    ) -> (status: SandboxStatus, message: String?, compile: SandboxResult?, result: SandboxResult?) {
        let workspace = place.workspace
        do {
            for file in job.files { try workspace.write(file.path, file.bytes) }
        } catch {
            return (.internalError, "cannot write the job's files: \(error)", nil, nil)
        }

        var compileResult: SandboxResult?
        if let compile = language.compileCommand {
            let result = runWatched(
                job.id, spec(job, language: language, command: compile, limits: job.compileLimits, stdin: [], workspace: workspace),
                cancellation: cancellation, onOutput: forward(job.id, step: "compile"), onStart: onStart)
            compileResult = result
            switch result.status {
            case .ok:
                break
            case .cancelled, .internalError:
                return (result.status, result.failure?.message, result, nil)
            default:
                return (.compileError, "the compile step ended with \(result.status.rawValue)", result, nil)
            }
        }
        let result = runWatched(
            job.id, spec(job, language: language, command: language.runCommand(arguments: job.request.args ?? []), limits: job.limits,
                 stdin: Array((job.request.stdin ?? "").utf8), workspace: workspace),
            in: place.warm, cancellation: cancellation, onOutput: forward(job.id, step: "run"), onStart: onStart)
        return (result.status, result.failure?.message, compileResult, result)
    }

    /// Marks `job` running, its cancellation handle registered (the caller removes it when the job ends); nil,
    /// with the job ended `internal_error`, when no handle can be had.
    func startRunning(_ job: PreparedJob) -> CancellationSignal? {
        guard let cancellation = register(job) else { return nil }
        markRunning(job.id, at: Date())
        hub.publish(JobEvent(kind: "state", data: Self.runningState), to: job.id)
        return cancellation
    }

    /// Stores the job as running since `at`: the state and its event in one commit, with the row of a
    /// synchronous job, held back until now.
    private func markRunning(_ id: String, at: Date) {
        if let record = unstored.withLock({ $0.removeValue(forKey: id) }) {
            _ = try? store.insertRunning(record, queuedEvent: Self.queuedState, at: at, event: "state", data: Self.runningState)
        } else {
            _ = try? store.markRunning(id: id, at: at, event: "state", data: Self.runningState)
        }
    }

    /// Registers `job`'s cancellation handle (the caller removes it when the job ends); nil, with the job ended
    /// `internal_error`, when no handle can be had.
    private func register(_ job: PreparedJob) -> CancellationSignal? {
        let cancellation: CancellationSignal
        do {
            cancellation = try CancellationSignal()
        } catch {
            finish(job.id, status: .internalError, message: "\(error)", compile: nil, result: nil)
            return nil
        }
        running.withLock { $0[job.id] = cancellation }
        return cancellation
    }

    func spec(_ job: PreparedJob, language: Language, command: [String], limits: SandboxLimits, stdin: [UInt8], workspace: Workspace) -> SandboxSpec {
        SandboxSpec(
            command: command, environment: language.environment(over: job.image.environment), binds: job.image.binds, limits: limits,
            stdin: stdin, workspace: workspace)
    }

    /// Publishes output chunks as "stdout"/"stderr" events naming the step (not stored: the result keeps the
    /// output); agent jobs name their steps by index.
    func forward(_ id: String, step: String) -> (OutputStreamKind, UnsafeRawBufferPointer) -> Void {
        { [hub] stream, chunk in
            let bytes = Array(chunk)
            let payload: String
            if let text = String(validating: bytes, as: UTF8.self) {
                payload = #"{"step":"\#(step)","text":\#(APIJSON.text(text))}"#
            } else {
                payload = #"{"step":"\#(step)","base64":"\#(Data(bytes).base64EncodedString())"}"#
            }
            hub.publish(JobEvent(kind: stream.rawValue, data: payload), to: id)
        }
    }
}
