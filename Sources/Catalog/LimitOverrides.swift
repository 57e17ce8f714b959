import Sandbox

/// What one job asks to change in its profile's limits; nil keeps the profile's value.
/// Field names follow `SandboxLimits`.
public struct LimitOverrides: Sendable, Equatable {
    public var wallTime: Duration?
    public var cpuTime: Duration?
    public var memoryBytes: UInt64?
    public var cpus: Double?
    public var pids: Int?
    public var outputBytes: Int?
    public var outputOverflow: OutputOverflow?
    public var workspaceBytes: UInt64?
    public var tmpBytes: UInt64?
    public var openFiles: Int?
    public var fileSizeBytes: UInt64?
    public var stackBytes: UInt64?

    public init(
        wallTime: Duration? = nil,
        cpuTime: Duration? = nil,
        memoryBytes: UInt64? = nil,
        cpus: Double? = nil,
        pids: Int? = nil,
        outputBytes: Int? = nil,
        outputOverflow: OutputOverflow? = nil,
        workspaceBytes: UInt64? = nil,
        tmpBytes: UInt64? = nil,
        openFiles: Int? = nil,
        fileSizeBytes: UInt64? = nil,
        stackBytes: UInt64? = nil
    ) {
        self.wallTime = wallTime
        self.cpuTime = cpuTime
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.pids = pids
        self.outputBytes = outputBytes
        self.outputOverflow = outputOverflow
        self.workspaceBytes = workspaceBytes
        self.tmpBytes = tmpBytes
        self.openFiles = openFiles
        self.fileSizeBytes = fileSizeBytes
        self.stackBytes = stackBytes
    }
}
