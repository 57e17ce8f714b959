/// What the reaper removed: each entry names the thing ("cgroup /sys/fs/cgroup/memory/brig/run-12-3",
/// "workspace /run/brig/work/run-12-3", "process 4242").
public struct ReapReport: Sendable, Codable, Equatable {
    public var removed: [String]

    public init(removed: [String]) {
        self.removed = removed
    }
}
