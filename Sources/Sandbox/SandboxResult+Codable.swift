import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The result as clients see it (`brig run --json`, the API): snake_case keys, times in milliseconds, output
/// as UTF-8 text, or base64 with `*_encoding: "base64"` when it is not valid UTF-8. Decoding reads it back
/// (the store and the command-line client do).
extension SandboxResult: Codable {
    private enum Key: String, CodingKey {
        case status, exitCode = "exit_code", signal, timeoutLimit = "timeout_limit"
        case seccompSyscall = "seccomp_syscall", error
        case stdout, stdoutEncoding = "stdout_encoding", stdoutBytes = "stdout_bytes", stdoutTruncated = "stdout_truncated"
        case stderr, stderrEncoding = "stderr_encoding", stderrBytes = "stderr_bytes", stderrTruncated = "stderr_truncated"
        case time, memoryPeakBytes = "memory_peak_bytes", oomKilled = "oom_killed"
        case pidsPeak = "pids_peak", pidsLimitHit = "pids_limit_hit", cleanupError = "cleanup_error"
    }

    private enum TimeKey: String, CodingKey {
        case setup = "setup_ms", wall = "wall_ms", cpuUser = "cpu_user_ms", cpuSystem = "cpu_sys_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(status, forKey: .status)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(signal, forKey: .signal)
        try container.encode(timeoutLimit, forKey: .timeoutLimit)
        try container.encode(seccompSyscall, forKey: .seccompSyscall)
        try container.encode(failure, forKey: .error)
        try Self.encode(stdout, in: &container, text: .stdout, encoding: .stdoutEncoding, bytes: .stdoutBytes, truncated: .stdoutTruncated)
        try Self.encode(stderr, in: &container, text: .stderr, encoding: .stderrEncoding, bytes: .stderrBytes, truncated: .stderrTruncated)
        var time = container.nestedContainer(keyedBy: TimeKey.self, forKey: .time)
        try time.encode(Self.milliseconds(setupTime), forKey: .setup)
        try time.encode(Self.milliseconds(wallTime), forKey: .wall)
        try time.encode(Self.milliseconds(cpuUserTime), forKey: .cpuUser)
        try time.encode(Self.milliseconds(cpuSystemTime), forKey: .cpuSystem)
        try container.encode(memoryPeakBytes, forKey: .memoryPeakBytes)
        try container.encode(oomKilled, forKey: .oomKilled)
        try container.encode(pidsPeak, forKey: .pidsPeak)
        try container.encode(pidsLimitHit, forKey: .pidsLimitHit)
        try container.encode(cleanupError, forKey: .cleanupError)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        self.init(status: try container.decode(SandboxStatus.self, forKey: .status))
        exitCode = try container.decodeIfPresent(Int32.self, forKey: .exitCode)
        signal = try container.decodeIfPresent(String.self, forKey: .signal)
        timeoutLimit = try container.decodeIfPresent(TimeoutLimit.self, forKey: .timeoutLimit)
        seccompSyscall = try container.decodeIfPresent(String.self, forKey: .seccompSyscall)
        failure = try container.decodeIfPresent(LaunchFailure.self, forKey: .error)
        stdout = try Self.decode(from: container, text: .stdout, encoding: .stdoutEncoding, bytes: .stdoutBytes)
        stderr = try Self.decode(from: container, text: .stderr, encoding: .stderrEncoding, bytes: .stderrBytes)
        let time = try container.nestedContainer(keyedBy: TimeKey.self, forKey: .time)
        setupTime = Self.duration(milliseconds: try time.decode(Double.self, forKey: .setup))
        wallTime = Self.duration(milliseconds: try time.decode(Double.self, forKey: .wall))
        cpuUserTime = Self.duration(milliseconds: try time.decode(Double.self, forKey: .cpuUser))
        cpuSystemTime = Self.duration(milliseconds: try time.decode(Double.self, forKey: .cpuSystem))
        memoryPeakBytes = try container.decodeIfPresent(UInt64.self, forKey: .memoryPeakBytes)
        oomKilled = try container.decode(Bool.self, forKey: .oomKilled)
        pidsPeak = try container.decodeIfPresent(Int.self, forKey: .pidsPeak)
        pidsLimitHit = try container.decode(Bool.self, forKey: .pidsLimitHit)
        cleanupError = try container.decodeIfPresent(String.self, forKey: .cleanupError)
    }

    private static func decode(
        from container: KeyedDecodingContainer<Key>, text: Key, encoding: Key, bytes: Key
    ) throws -> CapturedOutput {
        let content = try container.decode(String.self, forKey: text)
        let kept: [UInt8]
        if try container.decodeIfPresent(String.self, forKey: encoding) == "base64" {
            guard let data = Data(base64Encoded: content) else {
                throw DecodingError.dataCorruptedError(forKey: text, in: container, debugDescription: "not base64")
            }
            kept = Array(data)
        } else {
            kept = Array(content.utf8)
        }
        return CapturedOutput(bytes: kept, totalBytes: try container.decodeIfPresent(Int.self, forKey: bytes) ?? kept.count)
    }

    static func duration(milliseconds: Double) -> Duration {
        .nanoseconds(Int64((milliseconds * 1_000_000).rounded()))
    }

    private static func encode(
        _ output: CapturedOutput, in container: inout KeyedEncodingContainer<Key>,
        text: Key, encoding: Key, bytes: Key, truncated: Key
    ) throws {
        if let utf8 = String(validating: output.bytes, as: UTF8.self) {
            try container.encode(utf8, forKey: text)
            try container.encode("utf8", forKey: encoding)
        } else {
            try container.encode(Data(output.bytes).base64EncodedString(), forKey: text)
            try container.encode("base64", forKey: encoding)
        }
        try container.encode(output.totalBytes, forKey: bytes)
        try container.encode(output.truncated, forKey: truncated)
    }

    /// Milliseconds with microsecond precision.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) * 1000 + Double(attoseconds / 1_000_000_000) / 1_000_000).rounded(toPlaces: 3)
    }
}

private extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
