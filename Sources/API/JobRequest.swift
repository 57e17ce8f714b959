/// `POST /v1/jobs`: a code job. `source` (one file, named by the language's manifest) or `files` (the
/// language's source file among them) is required; everything else is optional.
/// An agent job (`kind: "agent"`) has no language: `steps` run in order in one workspace holding `files`.
public struct JobRequest: Sendable, Codable, Equatable {
    /// Required for code jobs; absent for agent jobs.
    public var language: String?
    public var source: String?
    public var files: [JobFile]?
    public var stdin: String?
    public var args: [String]?
    /// A profile name; "default" when absent.
    public var profile: String?
    public var limits: RequestedLimits?
    /// Answer with the finished job instead of 202 + the queued one.
    public var wait: Bool?
    /// "code" (default) or "agent".
    public var kind: String?
    /// Agent jobs: the sandbox image ("host" when absent).
    public var image: String?
    /// Agent jobs: what runs, in order.
    public var steps: [AgentStepRequest]?
    /// Agent jobs: skip the steps after the first that fails (default true).
    public var stopOnFailure: Bool?

    public init(
        language: String?, source: String? = nil, files: [JobFile]? = nil, stdin: String? = nil, args: [String]? = nil,
        profile: String? = nil, limits: RequestedLimits? = nil, wait: Bool? = nil, kind: String? = nil,
        image: String? = nil, steps: [AgentStepRequest]? = nil, stopOnFailure: Bool? = nil
    ) {
        self.language = language
        self.source = source
        self.files = files
        self.stdin = stdin
        self.args = args
        self.profile = profile
        self.limits = limits
        self.wait = wait
        self.kind = kind
        self.image = image
        self.steps = steps
        self.stopOnFailure = stopOnFailure
    }

    enum CodingKeys: String, CodingKey {
        case language, source, files, stdin, args, profile, limits, wait, kind, image, steps
        case stopOnFailure = "stop_on_failure"
    }

    public var isAgent: Bool { kind == "agent" }
}

/// A file put into the job's workspace before it compiles and runs.
public struct JobFile: Sendable, Codable, Equatable {
    /// Relative to the workspace (/work): no "..", no leading "/", no NUL.
    public var path: String
    public var content: String
    /// "utf8" (default) or "base64".
    public var encoding: String?

    public init(path: String, content: String, encoding: String? = nil) {
        self.path = path
        self.content = content
        self.encoding = encoding
    }
}

/// Per-job limits, each at most the profile's maximum. Sizes and times as text: "256MiB", "5s".
public struct RequestedLimits: Sendable, Codable, Equatable {
    public var wallTime: String?
    public var cpuTime: String?
    public var memory: String?
    public var cpus: Double?
    public var pids: Int?
    public var output: String?

    public init(wallTime: String? = nil, cpuTime: String? = nil, memory: String? = nil, cpus: Double? = nil, pids: Int? = nil, output: String? = nil) {
        self.wallTime = wallTime
        self.cpuTime = cpuTime
        self.memory = memory
        self.cpus = cpus
        self.pids = pids
        self.output = output
    }

    enum CodingKeys: String, CodingKey {
        case wallTime = "wall_time", cpuTime = "cpu_time", memory, cpus, pids, output
    }
}
