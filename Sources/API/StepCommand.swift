/// What a step runs: an argv, or a shell string run with `/bin/sh -c`.
public enum StepCommand: Sendable, Codable, Equatable {
    case argv([String])
    case shell(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .shell(text)
        } else {
            self = .argv(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .argv(let argv): try container.encode(argv)
        case .shell(let text): try container.encode(text)
        }
    }

    /// The argv as run.
    public var argv: [String] {
        switch self {
        case .argv(let argv): argv
        case .shell(let text): ["/bin/sh", "-c", text]
        }
    }
}
