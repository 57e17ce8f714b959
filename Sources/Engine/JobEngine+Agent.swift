import API
import Catalog
import Foundation
import Sandbox

/// An agent job's steps, checked when the job was accepted.
struct AgentPlan: Sendable {
    struct Step: Sendable {
        var argv: [String]
        var environment: [String: String]
        var workingDirectory: String
        var limits: SandboxLimits
        var stdin: [UInt8]
    }

    var steps: [Step]
    var stopOnFailure: Bool
}

extension JobEngine {
    static let maxAgentSteps = 100

    /// An agent job: steps run in order in one workspace holding `files`, each a fresh sandbox with the
    /// profile's limits (its `timeout` as the wall-clock limit).
    func prepareAgent(
        _ request: JobRequest, id: String, owner: UInt32, profile: Profile, state: CatalogState
    ) throws(APIError) -> PreparedJob {
        if request.language != nil || request.source != nil || request.args != nil || request.stdin != nil {
            throw APIError("invalid_request", "an agent job has steps, not language, source, args or stdin", field: "language")
        }
        let imageName = request.image ?? "host"
        guard let image = state.images[imageName] else {
            throw APIError("unknown_image", "no image named \(imageName.debugDescription); available: \(state.images.keys.sorted().joined(separator: ", "))", field: "image")
        }
        let limits = try SessionEngine.limits(profile, request.limits)
        let files = try Self.decodeFiles(request.files ?? [], field: "files")
        let total = files.reduce(0) { $0 + $1.bytes.count }
        if UInt64(total) > limits.workspaceBytes {
            throw APIError("files_too_large", "the files hold \(total) bytes; the workspace holds \(ByteSize(bytes: limits.workspaceBytes))", field: "files")
        }
        guard let given = request.steps, !given.isEmpty else {
            throw APIError("missing_steps", "an agent job needs at least one step", field: "steps")
        }
        if given.count > Self.maxAgentSteps {
            throw APIError("too_many_steps", "at most \(Self.maxAgentSteps) steps", field: "steps")
        }
        var steps: [AgentPlan.Step] = []
        for (index, step) in given.enumerated() {
            let field = "steps[\(index)]"
            let argv = step.cmd.argv
            if argv.isEmpty || argv[0].isEmpty || argv.count > Self.maxArguments || argv.contains(where: { $0.utf8.contains(0) }) {
                throw APIError("invalid_cmd", "the command must be 1 to \(Self.maxArguments) arguments without NUL bytes", field: "\(field).cmd")
            }
            var environment = image.environment
            for (key, value) in step.env ?? [:] {
                if key.isEmpty || key.contains("=") || key.utf8.contains(0) || value.utf8.contains(0) {
                    throw APIError("invalid_env", "\(key.debugDescription) is not a valid environment variable", field: "\(field).env.\(key)")
                }
                environment[key] = value
            }
            let directory = step.cwd ?? "/work"
            if directory != "/work" {
                let relative = directory.hasPrefix("/work/") ? String(directory.dropFirst(6)) : ""
                if relative.isEmpty || WorkspacePath.problem(relative) != nil {
                    throw APIError("invalid_cwd", "the working directory must be /work or a directory under it", field: "\(field).cwd")
                }
            }
            var stepLimits = limits
            if let wall = try SessionEngine.duration(step.timeout, field: "\(field).timeout") {
                if wall > profile.maxima.wallTime {
                    throw APIError("invalid_limits", "timeout is at most \(DurationText(profile.maxima.wallTime)) in profile \(profile.name)", field: "\(field).timeout")
                }
                stepLimits.wallTime = wall
            }
            steps.append(AgentPlan.Step(
                argv: argv, environment: environment, workingDirectory: directory, limits: stepLimits,
                stdin: Array((step.stdin ?? "").utf8)))
        }
        var job = PreparedJob(
            id: id, owner: owner, request: request, profile: profile, image: image, language: nil, limits: limits,
            compileLimits: profile.compileLimits, files: files)
        job.agent = AgentPlan(steps: steps, stopOnFailure: request.stopOnFailure ?? true)
        return job
    }

    /// Runs an agent job on the calling worker thread: one workspace, its steps in order, each step's result
    /// stored as it ends. The job's status is the first failing step's (or ok).
    func executeAgent(_ job: PreparedJob) {
        guard let plan = job.agent else {
            finish(job.id, status: .internalError, message: "the job has neither a language nor steps", compile: nil, result: nil)
            return
        }
        guard let cancellation = startRunning(job) else { return }
        defer { _ = running.withLock { $0.removeValue(forKey: job.id) } }

        // A slot and workspace of its own (no spare: its steps launch from scratch).
        let place: SandboxPlace
        do {
            place = try sandboxPlace(for: job, spare: nil)
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
        var views = plan.steps.enumerated().map { AgentStepView(index: $0.offset + 1, cmd: $0.element.argv, status: "queued") }
        var status = SandboxStatus.ok
        var message: String?
        var last: SandboxResult?
        for (offset, step) in plan.steps.enumerated() {
            if status != .ok && (plan.stopOnFailure || status == .cancelled) {
                views[offset].status = "skipped"
                continue
            }
            let spec = SandboxSpec(
                command: step.argv, environment: step.environment, binds: job.image.binds, limits: step.limits,
                stdin: step.stdin, workingDirectory: step.workingDirectory, workspace: workspace)
            let result = runWatched(job.id, spec, cancellation: cancellation, onOutput: forward(job.id, step: "\(offset + 1)"))
            views[offset].status = result.status.rawValue
            views[offset].result = result
            last = result
            if result.status != .ok && status == .ok {
                status = result.status
                message = "step \(offset + 1) ended with \(result.status.rawValue)" + (result.failure.map { ": \($0.message)" } ?? "")
            }
            if let encoded = try? JSONEncoder().encode(views) { try? store.setSteps(jobID: job.id, steps: encoded) }
        }
        if let encoded = try? JSONEncoder().encode(views) { try? store.setSteps(jobID: job.id, steps: encoded) }
        finish(job.id, status: status, message: message, compile: nil, result: last)
    }
}
