/// `GET /v1/sessions/{id}/steps/{step}/output`: what a step has written so far (or in all, once it ended),
/// capped by its output limit.
public struct StepOutput: Sendable, Codable, Equatable {
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: Int
    public var stderrBytes: Int
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    public var running: Bool

    public init(
        stdout: String, stderr: String, stdoutBytes: Int, stderrBytes: Int, stdoutTruncated: Bool,
        stderrTruncated: Bool, running: Bool
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutBytes = stdoutBytes
        self.stderrBytes = stderrBytes
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.running = running
    }

    enum CodingKeys: String, CodingKey {
        case stdout, stderr, running
        case stdoutBytes = "stdout_bytes", stderrBytes = "stderr_bytes"
        case stdoutTruncated = "stdout_truncated", stderrTruncated = "stderr_truncated"
    }
}

/// `POST /v1/sessions/{id}/steps/{step}/stdin`.
public struct StepInput: Sendable, Codable, Equatable {
    public var data: String?
    /// "utf8" (default) or "base64".
    public var encoding: String?
    /// End of file after `data`.
    public var close: Bool?

    public init(data: String? = nil, encoding: String? = nil, close: Bool? = nil) {
        self.data = data
        self.encoding = encoding
        self.close = close
    }
}
