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
        guard let cancellation = startRunning(job) else { return }
        defer { _ = running.withLock { $0.removeValue(forKey: job.id) } }

        let place: SandboxPlace
        do {
            place = try sandboxPlace(for: job, spare: spare)
        } catch {
            finish(job.id, status: .internalError, message: "cannot prepare the sandbox: \(error)", compile: nil, result: nil)
            return
        }
        defer { place.release() }
        let workspace = place.workspace
        do {
            for file in job.files { try workspace.write(file.path, file.bytes) }
        } catch {
            finish(job.id, status: .internalError, message: "cannot write the job's files: \(error)", compile: nil, result: nil)
            return
        }

        var compileResult: SandboxResult?
        if let compile = language.compileCommand {
            let result = runWatched(
                job.id, spec(job, language: language, command: compile, limits: job.compileLimits, stdin: [], workspace: workspace),
                cancellation: cancellation, onOutput: forward(job.id, step: "compile"))
            compileResult = result
            switch result.status {
            case .ok:
                break
            case .cancelled, .internalError:
                finish(job.id, status: result.status, message: result.failure?.message, compile: result, result: nil)
                return
            default:
                finish(job.id, status: .compileError, message: "the compile step ended with \(result.status.rawValue)", compile: result, result: nil)
                return
            }
        }
        let result = runWatched(
            job.id, spec(job, language: language, command: language.runCommand(arguments: job.request.args ?? []), limits: job.limits,
                 stdin: Array((job.request.stdin ?? "").utf8), workspace: workspace),
            in: place.warm, cancellation: cancellation, onOutput: forward(job.id, step: "run"))
        finish(job.id, status: result.status, message: result.failure?.message, compile: compileResult, result: result)
    }

    /// Marks `job` running, its cancellation handle registered (the caller removes it when the job ends); nil,
    /// with the job ended `internal_error`, when no handle can be had.
    func startRunning(_ job: PreparedJob) -> CancellationSignal? {
        let cancellation: CancellationSignal
        do {
            cancellation = try CancellationSignal()
        } catch {
            finish(job.id, status: .internalError, message: "\(error)", compile: nil, result: nil)
            return nil
        }
        running.withLock { $0[job.id] = cancellation }
        // The state and its event in one commit.
        _ = try? store.markRunning(id: job.id, at: Date(), event: "state", data: Self.runningState)
        hub.publish(JobEvent(kind: "state", data: Self.runningState), to: job.id)
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
                payload = #"{"step":"\#(step)","text":\#(JobEngine.json(text))}"#
            } else {
                payload = #"{"step":"\#(step)","base64":"\#(Data(bytes).base64EncodedString())"}"#
            }
            hub.publish(JobEvent(kind: stream.rawValue, data: payload), to: id)
        }
    }
}
