import MCP

/// The JSON an MCP tool answers with for a run (a code job or a sandbox step): how it ended in the status
/// taxonomy and in words, its output, whether the output was cut, and its timings. Built from the daemon's
/// own JSON so nothing it says is lost in a decode.
enum RunReport {
    /// A code job (`JobView` JSON).
    static func job(_ job: [String: Value]) -> [String: Value] {
        let status = job["status"]?.stringValue ?? "internal_error"
        // A failed compile has no run result: its output and times are the compile step's.
        let result = status == "compile_error" ? (job["compile"]?.objectValue ?? job["result"]?.objectValue) : job["result"]?.objectValue
        var report = run(status: status, result: result, daemonMessage: job["message"]?.stringValue, background: false)
        report["job_id"] = job["id"] ?? .null
        report["language"] = job["language"] ?? .null
        return report
    }

    /// A session step (`StepView` JSON), in the sandbox `sandboxID`.
    static func step(_ step: [String: Value], sandboxID: String) -> [String: Value] {
        let status = step["status"]?.stringValue ?? "internal_error"
        let background = step["background"]?.boolValue ?? false
        var report = run(status: status, result: step["result"]?.objectValue, daemonMessage: step["message"]?.stringValue, background: background)
        report["sandbox_id"] = .string(step["session"]?.stringValue ?? sandboxID)
        report["step_id"] = step["id"] ?? .null
        report["step_index"] = step["index"] ?? .null
        report["cmd"] = step["cmd"] ?? .null
        report["background"] = .bool(background)
        return report
    }

    static func run(status: String, result: [String: Value]?, daemonMessage: String?, background: Bool) -> [String: Value] {
        let result = result ?? [:]
        var report: [String: Value] = [
            "status": .string(status),
            "exit_code": result["exit_code"] ?? .null,
            "stdout": result["stdout"] ?? "",
            "stderr": result["stderr"] ?? "",
        ]
        for stream in ["stdout", "stderr"] where result["\(stream)_encoding"]?.stringValue == "base64" {
            report["\(stream)_encoding"] = "base64"
        }
        if let signal = result["signal"], signal != .null { report["signal"] = signal }
        let stdoutTruncated = result["stdout_truncated"]?.boolValue ?? false
        let stderrTruncated = result["stderr_truncated"]?.boolValue ?? false
        report["truncation"] = [
            "stdout": .bool(stdoutTruncated), "stderr": .bool(stderrTruncated),
            "stdout_total_bytes": result["stdout_bytes"] ?? .null, "stderr_total_bytes": result["stderr_bytes"] ?? .null,
        ]
        if let time = result["time"]?.objectValue {
            let cpu = (number(time["cpu_user_ms"]) ?? 0) + (number(time["cpu_sys_ms"]) ?? 0)
            report["timings"] = [
                "wall_ms": time["wall_ms"] ?? .null, "cpu_ms": .double((cpu * 1000).rounded() / 1000),
                "setup_ms": time["setup_ms"] ?? .null,
            ]
        } else {
            report["timings"] = .null
        }
        if let peak = result["memory_peak_bytes"], peak != .null { report["memory_peak_bytes"] = peak }
        if let failure = result["error"], failure != .null { report["error"] = failure }
        var message = words(status: status, result: result, background: background)
        if stdoutTruncated || stderrTruncated {
            let streams = [stdoutTruncated ? "stdout" : nil, stderrTruncated ? "stderr" : nil].compactMap { $0 }
            message += "; \(streams.joined(separator: " and ")) cut at the output limit (see truncation)"
        }
        if let daemonMessage, !daemonMessage.isEmpty { message += "; \(daemonMessage)" }
        report["message"] = .string(message)
        return report
    }

    /// How the run ended, in words a person (or a model) reads without knowing the taxonomy.
    static func words(status: String, result: [String: Value], background: Bool) -> String {
        let exitCode = result["exit_code"]?.intValue
        switch status {
        case "ok": return "exited with code 0"
        case "exit_nonzero": return "exited with code \(exitCode.map(String.init) ?? "?")"
        case "compile_error":
            return "did not compile (compiler exit code \(exitCode.map(String.init) ?? "?")); the compiler's output is in stderr"
        case "signaled": return "killed by \(result["signal"]?.stringValue ?? "a signal")"
        case "timeout": return "killed: ran past its \(result["timeout_limit"]?.stringValue ?? "wall") time limit"
        case "oom": return "killed: ran out of memory (reached its memory limit)"
        case "output_limit": return "killed: wrote more output than its output limit"
        case "seccomp": return "killed: made a forbidden system call (\(result["seccomp_syscall"]?.stringValue ?? "unknown"))"
        case "cancelled": return "cancelled before it finished"
        case "lost": return "lost: the daemon stopped while it ran, so how it ended is unknown"
        case "internal_error":
            let failure = result["error"]?.objectValue
            let detail = [failure?["stage"]?.stringValue, failure?["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            return "the sandbox failed, not the program" + (detail.isEmpty ? "" : " (\(detail))")
        case "queued", "running":
            return background ? "started in the background: it runs until it ends, is stopped, or the sandbox is closed" : "still \(status)"
        default: return status
        }
    }

    private static func number(_ value: Value?) -> Double? {
        switch value {
        case .int(let whole): return Double(whole)
        case .double(let real): return real
        default: return nil
        }
    }
}
