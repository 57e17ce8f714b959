import BrigCommandLine
import Catalog
import Sandbox

/// The one line `brig run` prints on stderr after the program's own output.
struct ResultSummary {
    let result: SandboxResult
    let limits: SandboxLimits

    var line: String {
        var parts = [headline]
        parts.append("wall \(Self.format(result.wallTime))")
        parts.append("cpu \(Self.format(result.cpuUserTime + result.cpuSystemTime))")
        if let peak = result.memoryPeakBytes { parts.append("memory \(ByteSize(bytes: peak))") }
        parts.append("setup \(Self.format(result.setupTime))")
        for (name, output) in [("stdout", result.stdout), ("stderr", result.stderr)] where output.truncated {
            parts.append("\(name) truncated to \(ByteSize(bytes: UInt64(output.bytes.count))) of \(output.totalBytes) bytes")
        }
        if let cleanup = result.cleanupError { parts.append("cleanup failed: \(cleanup)") }
        // Not `joined(separator:)`: its generic metadata, built at its first use, cost `brig run` ~0.1 ms.
        var line = parts.first ?? ""
        for part in parts.dropFirst() { line += " · " + part }
        return line
    }

    private var headline: String {
        switch result.status {
        case .ok: return "ok"
        case .exitNonzero: return "exit_nonzero (exit code \(result.exitCode ?? -1))"
        case .signaled: return "signaled (\(result.signal ?? "unknown signal"))"
        case .timeout:
            let limit = result.timeoutLimit ?? .wall
            let value = limit == .wall ? limits.wallTime : limits.cpuTime
            return "timeout (\(limit.rawValue) time limit \(DurationText(value)))"
        case .oom: return "oom (memory limit \(ByteSize(bytes: limits.memoryBytes)))"
        case .outputLimit: return "output_limit (more than \(ByteSize(bytes: UInt64(limits.outputBytes))) of output)"
        case .seccomp: return "seccomp (forbidden system call: \(result.seccompSyscall ?? "unknown"))"
        case .cancelled: return "cancelled"
        case .internalError: return "internal_error (\(result.failure?.description ?? "unknown"))"
        default: return result.status.rawValue
        }
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return milliseconds < 1000
            ? DecimalText.fixed(milliseconds, digits: 1) + "ms" : DecimalText.fixed(milliseconds / 1000, digits: 2) + "s"
    }
}
