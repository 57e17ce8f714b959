import Sandbox

/// One step of an agent job.
public struct AgentStepRequest: Sendable, Codable, Equatable {
    public var cmd: StepCommand
    public var stdin: String?
    public var env: [String: String]?
    /// "/work" (default) or a directory under it.
    public var cwd: String?
    /// Wall-clock limit ("30s"), within the profile's maximum.
    public var timeout: String?

    public init(cmd: StepCommand, stdin: String? = nil, env: [String: String]? = nil, cwd: String? = nil, timeout: String? = nil) {
        self.cmd = cmd
        self.stdin = stdin
        self.env = env
        self.cwd = cwd
        self.timeout = timeout
    }
}

/// An agent job's step as the API shows it. `status` is a `SandboxStatus` value, or "skipped" for a step not
/// run because an earlier one failed (with stop_on_failure), or "queued" before it runs.
public struct AgentStepView: Sendable, Codable, Equatable {
    public var index: Int
    public var cmd: [String]
    public var status: String
    public var result: SandboxResult?

    public init(index: Int, cmd: [String], status: String, result: SandboxResult? = nil) {
        self.index = index
        self.cmd = cmd
        self.status = status
        self.result = result
    }
}
