import Sandbox

/// How limits are written in a profile's [limits] and [maxima] tables, and which values brig accepts.
extension SandboxLimits {
    /// The keys of [limits], in the order they are read and checked.
    static let keys = [
        "wall_time", "cpu_time", "memory", "cpus", "pids", "output", "output_overflow",
        "workspace", "tmp", "open_files", "file_size", "stack",
    ]

    static let longestTime = Duration.seconds(24 * 3600)
    static let smallestMemory = ByteSize(bytes: 8 << 20)
    static let mostCPUs = 64.0
    static let pidRange = 1...32768
    static let openFileRange = 16...1_048_576

    /// These limits with each key present in `table` replaced.
    func reading(_ table: TableReader) throws(CatalogError) -> SandboxLimits {
        var limits = self
        if let value = try table.duration("wall_time") { limits.wallTime = value }
        if let value = try table.duration("cpu_time") { limits.cpuTime = value }
        if let value = try table.byteSize("memory") { limits.memoryBytes = value.bytes }
        if let value = try table.number("cpus") { limits.cpus = value }
        if let value = try table.integer("pids") { limits.pids = value }
        if let value = try table.byteSize("output") {
            guard let bytes = Int(exactly: value.bytes) else { throw table.error("output", "\(value) is too large") }
            limits.outputBytes = bytes
        }
        if let value = try table.choice("output_overflow", of: OutputOverflow.self) { limits.outputOverflow = value }
        if let value = try table.byteSize("workspace") { limits.workspaceBytes = value.bytes }
        if let value = try table.byteSize("tmp") { limits.tmpBytes = value.bytes }
        if let value = try table.integer("open_files") { limits.openFiles = value }
        if let value = try table.byteSize("file_size") { limits.fileSizeBytes = value.bytes }
        if let value = try table.byteSize("stack") { limits.stackBytes = value.bytes }
        return limits
    }

    /// The first value brig cannot run with, as the key and why; nil when all are usable.
    func firstProblem() -> (key: String, reason: String)? {
        func time(_ key: String, _ value: Duration) -> (key: String, reason: String)? {
            if value <= .zero { return (key, "must be more than 0") }
            if value > Self.longestTime {
                return (key, "\(DurationText(value)) is above the most brig allows, \(DurationText(Self.longestTime))")
            }
            return nil
        }
        func size(_ key: String, _ bytes: UInt64) -> (key: String, reason: String)? {
            bytes == 0 ? (key, "must be more than 0") : nil
        }
        func count(_ key: String, _ value: Int, _ range: ClosedRange<Int>) -> (key: String, reason: String)? {
            range.contains(value) ? nil : (key, "must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        if let problem = time("wall_time", wallTime) ?? time("cpu_time", cpuTime) { return problem }
        if memoryBytes < Self.smallestMemory.bytes {
            return ("memory", "\(ByteSize(bytes: memoryBytes)) is below the minimum of \(Self.smallestMemory)")
        }
        if !(cpus > 0 && cpus <= Self.mostCPUs) {
            return ("cpus", "must be more than 0 and at most \(Self.text(cpus: Self.mostCPUs)), not \(Self.text(cpus: cpus))")
        }
        if let problem = count("pids", pids, Self.pidRange) { return problem }
        if outputBytes <= 0 { return ("output", "must be more than 0") }
        return size("workspace", workspaceBytes)
            ?? size("tmp", tmpBytes)
            ?? count("open_files", openFiles, Self.openFileRange)
            ?? size("file_size", fileSizeBytes)
            ?? size("stack", stackBytes)
    }

    /// The first key whose value is above the one in `maxima`, with both values written for people. Values,
    /// not key paths: each key path is an object the runtime builds from mangled names on first use (~27 type
    /// lookups in every `brig run`, which checks its limits against the profile's maxima).
    func firstExcess(over maxima: SandboxLimits) -> (key: String, value: String, maximum: String)? {
        func time(_ key: String, _ value: Duration, _ maximum: Duration) -> (key: String, value: String, maximum: String)? {
            value > maximum ? (key, "\(DurationText(value))", "\(DurationText(maximum))") : nil
        }
        func size(_ key: String, _ value: UInt64, _ maximum: UInt64) -> (key: String, value: String, maximum: String)? {
            value > maximum ? (key, "\(ByteSize(bytes: value))", "\(ByteSize(bytes: maximum))") : nil
        }
        func count(_ key: String, _ value: Int, _ maximum: Int) -> (key: String, value: String, maximum: String)? {
            value > maximum ? (key, "\(value)", "\(maximum)") : nil
        }
        if let excess = time("wall_time", wallTime, maxima.wallTime) ?? time("cpu_time", cpuTime, maxima.cpuTime)
            ?? size("memory", memoryBytes, maxima.memoryBytes) {
            return excess
        }
        if cpus > maxima.cpus { return ("cpus", Self.text(cpus: cpus), Self.text(cpus: maxima.cpus)) }
        if let excess = count("pids", pids, maxima.pids) { return excess }
        if outputBytes > maxima.outputBytes {
            return ("output", "\(ByteSize(bytes: UInt64(clamping: outputBytes)))", "\(ByteSize(bytes: UInt64(clamping: maxima.outputBytes)))")
        }
        return size("workspace", workspaceBytes, maxima.workspaceBytes)
            ?? size("tmp", tmpBytes, maxima.tmpBytes)
            ?? count("open_files", openFiles, maxima.openFiles)
            ?? size("file_size", fileSizeBytes, maxima.fileSizeBytes)
            ?? size("stack", stackBytes, maxima.stackBytes)
    }

    /// "2" rather than "2.0", "1.5" as is.
    static func text(cpus: Double) -> String {
        if cpus == cpus.rounded(), abs(cpus) < 1e15 { return String(Int(cpus)) }
        return "\(cpus)"
    }
}
