/// The body of `POST /v1/sessions/{id}/exec`; what is nil is left out so the daemon's defaults apply.
package struct StepRequest: Encodable, Sendable {
    package var cmd: StepCommandLine
    package var stdin: String?
    package var env: [String: String]?
    /// "/work" or under it.
    package var cwd: String?
    package var timeout: String?
    package var background: Bool?
    package var wait: Bool?

    package init(
        cmd: StepCommandLine, stdin: String? = nil, env: [String: String]? = nil, cwd: String? = nil,
        timeout: String? = nil, background: Bool? = nil, wait: Bool? = nil
    ) {
        self.cmd = cmd
        self.stdin = stdin
        self.env = env
        self.cwd = cwd
        self.timeout = timeout
        self.background = background
        self.wait = wait
    }
}

/// What a step runs: an argv, executed as is, or a string run with /bin/sh -c.
package enum StepCommandLine: Encodable, Sendable, Equatable {
    case argv([String])
    case shell(String)

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .argv(let arguments): try container.encode(arguments)
        case .shell(let line): try container.encode(line)
        }
    }
}
