import API
import Sandbox

/// The one line `brig exec` and `brig status` print about how a job ended, in `brig run`'s style.
struct JobSummary {
    let job: JobView

    var line: String {
        let result = job.status == .compileError ? (job.compile ?? job.result) : job.result
        var line: String
        if let result {
            if let headline = headline(for: result) {
                // ResultSummary's headline names the limit's value; a job's limits are not in its JobView, so
                // this one names the limit only. The parts after the headline do not depend on the status.
                var neutral = result
                neutral.status = .ok
                line = headline + ResultSummary(result: neutral, limits: SandboxLimits()).line.dropFirst("ok".count)
            } else {
                line = ResultSummary(result: result, limits: SandboxLimits()).line
            }
        } else {
            line = job.status.rawValue
        }
        if let message = job.message, !message.isEmpty { line += " · \(message)" }
        return line
    }

    /// The headline when ResultSummary's would be wrong for a job; nil when it is right.
    private func headline(for result: SandboxResult) -> String? {
        if job.status == .compileError {
            switch result.status {
            case .exitNonzero, .ok: return "compile_error (compiler exit code \(result.exitCode ?? -1))"
            case .timeout: return "compile_error (compile step: \((result.timeoutLimit ?? .wall).rawValue) time limit)"
            default: return "compile_error (compile step: \(result.status.rawValue))"
            }
        }
        switch result.status {
        case .timeout: return "timeout (\((result.timeoutLimit ?? .wall).rawValue) time limit)"
        case .oom: return "oom (memory limit)"
        case .outputLimit: return "output_limit (more output than the limit)"
        default: return nil
        }
    }
}
