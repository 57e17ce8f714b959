/// The body of `POST /v1/sessions/{id}/exec`; what is nil is left out so the daemon's defaults apply.
struct StepRequest: Encodable, Sendable {
    var cmd: StepCommandLine
    var stdin: String?
    var env: [String: String]?
    /// "/work" or under it.
    var cwd: String?
    var timeout: String?
    var background: Bool?
    var wait: Bool?
}

/// What a step runs: an argv, executed as is, or a string run with /bin/sh -c.
enum StepCommandLine: Encodable, Sendable, Equatable {
    case argv([String])
    case shell(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .argv(let arguments): try container.encode(arguments)
        case .shell(let line): try container.encode(line)
        }
    }
}
