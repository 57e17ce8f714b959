import API
import ArgumentParser
import Catalog

/// Per-run limits on the command line, for `brig run` and the job-submitting client commands alike.
struct LimitOptions: ParsableArguments {
    @Option(help: "Memory limit, swap included (e.g. 256MiB); at most the profile's maximum.")
    var memory: String?

    @Option(name: .customLong("wall-time"), help: "Wall-clock limit (e.g. 5s, 500ms, 2m).")
    var wallTime: String?

    @Option(name: .customLong("cpu-time"), help: "CPU-time limit for all processes together (e.g. 2s).")
    var cpuTime: String?

    @Option(help: "CPU bandwidth in cores (e.g. 0.5).")
    var cpus: Double?

    @Option(help: "Most processes and threads at once.")
    var pids: Int?

    @Option(help: "Bytes of stdout and of stderr kept (e.g. 1MiB).")
    var output: String?

    func validate() throws {
        _ = try overrides()
    }

    /// The limits as `brig run` applies them; a bad value names its option.
    func overrides() throws(ValidationError) -> LimitOverrides {
        try Self.overrides(memory: memory, wallTime: wallTime, cpuTime: cpuTime, cpus: cpus, pids: pids, output: output)
    }

    /// The options' values read and checked, as `overrides()` and `RunRequest(quickParsing:)` take them.
    static func overrides(
        memory: String?, wallTime: String?, cpuTime: String?, cpus: Double?, pids: Int?, output: String?
    ) throws(ValidationError) -> LimitOverrides {
        var overrides = LimitOverrides()
        overrides.memoryBytes = try memory.map { text throws(ValidationError) in try parse("--memory") { () throws(ValueFormatError) in try ByteSize(parsing: text).bytes } }
        overrides.wallTime = try wallTime.map { text throws(ValidationError) in try parse("--wall-time") { () throws(ValueFormatError) in try DurationText(parsing: text).duration } }
        overrides.cpuTime = try cpuTime.map { text throws(ValidationError) in try parse("--cpu-time") { () throws(ValueFormatError) in try DurationText(parsing: text).duration } }
        overrides.outputBytes = try output.map { text throws(ValidationError) in try parse("--output") { () throws(ValueFormatError) in Int(clamping: try ByteSize(parsing: text).bytes) } }
        if let cpus, !(cpus > 0) { throw ValidationError("--cpus: \(cpus) is not a positive number of cores") }
        if let pids, pids < 1 { throw ValidationError("--pids: \(pids) is not a positive count") }
        overrides.cpus = cpus
        overrides.pids = pids
        return overrides
    }

    /// The limits as a job request carries them (as text; the daemon checks them against the profile), or nil.
    var requested: RequestedLimits? {
        let limits = RequestedLimits(wallTime: wallTime, cpuTime: cpuTime, memory: memory, cpus: cpus, pids: pids, output: output)
        return limits == RequestedLimits() ? nil : limits
    }

    private static func parse<T>(_ option: String, _ parse: () throws(ValueFormatError) -> T) throws(ValidationError) -> T {
        do {
            return try parse()
        } catch {
            throw ValidationError("\(option): \(error.reason)")
        }
    }
}
