import API
import Engine

/// Which executables run on which engine events, and under what bounds.
public struct EventHookConfiguration: Sendable {
    public var commands: [EngineEvent.Kind: [String]]
    /// A hook still running after this is killed with its whole process group.
    public var timeout: Duration
    /// At most `runsPerPeriod` runs of one hook (by executable) per `period`; more are dropped.
    public var runsPerPeriod: Int
    public var period: Duration

    public init(
        commands: [EngineEvent.Kind: [String]] = [:], timeout: Duration = .seconds(10), runsPerPeriod: Int = 6,
        period: Duration = .seconds(60)
    ) {
        self.commands = commands
        self.timeout = timeout
        self.runsPerPeriod = runsPerPeriod
        self.period = period
    }

    public var isEmpty: Bool { commands.values.allSatisfy(\.isEmpty) }
}
