/// `POST /v1/sessions/{id}/exec`: one step in the session's workspace.
public struct ExecRequest: Sendable, Codable, Equatable {
    public var cmd: StepCommand
    /// Bytes (UTF-8) on the step's stdin. A foreground step that is waited for then sees end of file; a
    /// background or unwaited one keeps its stdin open for `POST .../stdin` until one of those closes it.
    public var stdin: String?
    /// Over the image's environment.
    public var env: [String: String]?
    /// "/work" (default) or a directory under it that exists.
    public var cwd: String?
    /// Wall-clock limit ("30s"), within the profile's maximum. A background step without one runs until it is
    /// stopped or the session ends.
    public var timeout: String?
    public var limits: RequestedLimits?
    public var background: Bool?
    /// Answer when the step has ended (default for foreground steps); false answers 202 at once.
    public var wait: Bool?

    public init(
        cmd: StepCommand, stdin: String? = nil, env: [String: String]? = nil, cwd: String? = nil, timeout: String? = nil,
        limits: RequestedLimits? = nil, background: Bool? = nil, wait: Bool? = nil
    ) {
        self.cmd = cmd
        self.stdin = stdin
        self.env = env
        self.cwd = cwd
        self.timeout = timeout
        self.limits = limits
        self.background = background
        self.wait = wait
    }

    /// Whether the answer waits for the step's end.
    public var waits: Bool { background != true && wait != false }
}
