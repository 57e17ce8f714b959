import API
import Catalog
import Foundation
import Sandbox

extension JobEngine {
    static let maxArguments = 256
    static let maxFiles = 1000

    /// Checks a request against the live catalog; every refusal names the field and the reason.
    func prepare(_ request: JobRequest, id: String, owner: UInt32) throws(APIError) -> PreparedJob {
        let state = catalog.withLock { $0 }
        let profileName = request.profile ?? "default"
        guard let profile = state.profiles[profileName] else {
            throw APIError("unknown_profile", "no profile named \(profileName.debugDescription); available: \(state.profiles.keys.sorted().joined(separator: ", "))", field: "profile")
        }
        if request.isAgent { return try prepareAgent(request, id: id, owner: owner, profile: profile, state: state) }
        guard request.kind == nil || request.kind == "code" else {
            throw APIError("invalid_kind", "kind must be \"code\" or \"agent\"", field: "kind")
        }
        guard let languageName = request.language else {
            throw APIError("missing_language", "a code job needs \"language\" (an agent job says \"kind\": \"agent\")", field: "language")
        }
        guard let (image, language) = state.language(named: languageName) else {
            throw APIError("unknown_language", "no language named \(languageName.debugDescription); available: \(state.languageNames.joined(separator: ", "))", field: "language")
        }
        let overrides = try Self.overrides(from: request.limits)
        let limits: SandboxLimits
        do {
            limits = try profile.limits(applying: overrides)
        } catch {
            throw APIError("invalid_limits", error.reason, field: error.key.map { "limits.\($0)" } ?? "limits")
        }
        let files = try Self.files(of: request, language: language)
        let total = files.reduce(0) { $0 + $1.bytes.count }
        if UInt64(total) > limits.workspaceBytes {
            throw APIError("files_too_large", "the files hold \(total) bytes; the workspace holds \(ByteSize(bytes: limits.workspaceBytes))", field: "files")
        }
        let arguments = request.args ?? []
        if arguments.count > Self.maxArguments {
            throw APIError("invalid_args", "at most \(Self.maxArguments) arguments", field: "args")
        }
        if let bad = arguments.firstIndex(where: { $0.utf8.contains(0) }) {
            throw APIError("invalid_args", "an argument may not contain a NUL byte", field: "args[\(bad)]")
        }
        return PreparedJob(
            id: id, owner: owner, request: request, profile: profile, image: image, language: language,
            limits: limits, compileLimits: profile.compileLimits, files: files)
    }

    static func overrides(from requested: RequestedLimits?) throws(APIError) -> LimitOverrides {
        var overrides = LimitOverrides()
        guard let requested else { return overrides }
        if let text = requested.wallTime {
            overrides.wallTime = try limit("wall_time") { () throws(ValueFormatError) in try DurationText(parsing: text).duration }
        }
        if let text = requested.cpuTime {
            overrides.cpuTime = try limit("cpu_time") { () throws(ValueFormatError) in try DurationText(parsing: text).duration }
        }
        if let text = requested.memory {
            overrides.memoryBytes = try limit("memory") { () throws(ValueFormatError) in try ByteSize(parsing: text).bytes }
        }
        if let text = requested.output {
            overrides.outputBytes = try limit("output") { () throws(ValueFormatError) in Int(clamping: try ByteSize(parsing: text).bytes) }
        }
        overrides.cpus = requested.cpus
        overrides.pids = requested.pids
        return overrides
    }

    /// Parses one requested limit; a bad value names `limits.<key>`.
    private static func limit<T>(_ key: String, _ parse: () throws(ValueFormatError) -> T) throws(APIError) -> T {
        do {
            return try parse()
        } catch {
            throw APIError("invalid_limits", error.reason, field: "limits.\(key)")
        }
    }

    private static func files(of request: JobRequest, language: Language) throws(APIError) -> [(path: String, bytes: [UInt8])] {
        switch (request.source, request.files) {
        case (nil, nil):
            throw APIError("missing_source", "give the program as \"source\" (one file) or \"files\"", field: "source")
        case (.some, .some):
            throw APIError("invalid_request", "give \"source\" or \"files\", not both", field: "files")
        case (let source?, nil):
            if source.isEmpty { throw APIError("empty_source", "the source is empty", field: "source") }
            return [(language.sourceFile, Array(source.utf8))]
        case (nil, let given?):
            if given.isEmpty { throw APIError("empty_source", "\"files\" is empty", field: "files") }
            return try Self.decodeFiles(given, field: "files")
        }
    }
}
