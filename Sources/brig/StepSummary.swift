import BrigCommandLine
import Sandbox

/// The one line `brig session exec` prints on stderr about how a step ended, in `brig exec`'s style.
struct StepSummary {
    let step: DaemonStep

    var line: String {
        var line = "step \(step.index.map(String.init) ?? step.id): "
        if let result = step.result {
            // As JobSummary: a step's limits are not in its view, so a limit is named without its value.
            var neutral = result
            neutral.status = .ok
            let rest = ResultSummary(result: neutral, limits: SandboxLimits()).line.dropFirst("ok".count)
            line += headline(for: result) + rest
        } else {
            line += step.status
        }
        if let message = step.message, !message.isEmpty { line += " · \(message)" }
        return line
    }

    private func headline(for result: SandboxResult) -> String {
        switch result.status {
        case .timeout: return "timeout (\((result.timeoutLimit ?? .wall).rawValue) time limit)"
        case .oom: return "oom (memory limit)"
        case .outputLimit: return "output_limit (more output than the limit)"
        default: return ResultSummary(result: result, limits: SandboxLimits()).line.components(separatedBy: " · ")[0]
        }
    }

    /// `brig session exec`'s exit status: `brig run`'s for the step's result, or for its status when it has none
    /// (lost in a daemon restart, cancelled before it ran).
    static func exitCode(of step: DaemonStep) -> Int32 {
        if let result = step.result, result.status.isTerminal { return RunExitCode.of(result) }
        return RunExitCode.of(SandboxResult(status: SandboxStatus(rawValue: step.status) ?? .internalError))
    }
}
