#if canImport(Glibc)
import Glibc
#endif

/// One way of running a program that a section compares with the others: a name, what to run once, and why
/// it is left out when it cannot run here.
struct BenchContender {
    let name: String
    let runOnce: () throws -> Void
    /// Set when the contender is skipped; `runOnce` is then never called.
    var skipped: String? = nil
    /// Work done before each run and not timed: what a daemon does ahead of demand.
    var setUp: (() throws -> Void)? = nil

    static func skipped(_ name: String, because reason: String) -> BenchContender {
        BenchContender(name: name, runOnce: {}, skipped: reason)
    }

    static func program(_ name: String, _ arguments: [String], environment: [String] = ["PATH=/usr/bin:/bin"]) -> BenchContender {
        let program = BenchProgram(arguments, environment: environment)
        return BenchContender(name: name, runOnce: { try program.run() })
    }

    /// This contender with 100 ms of quiet before each run (not timed): the machine as a command typed by hand
    /// finds it. Back to back, the kernel's work left by the previous run hides costs a first run pays: on
    /// cgroup v1, moving a process into a cgroup then waits out an RCU grace period (see CgroupV1Group).
    func afterQuiet() -> BenchContender {
        let name = name + " after 100 ms quiet"
        if let skipped { return .skipped(name, because: skipped) }
        return BenchContender(name: name, runOnce: runOnce, setUp: { usleep(100_000) })
    }

    /// Runs every contender `runs` times, taking turns run by run (in a shuffled order) so that a slow spell of the machine hits them
    /// all alike; each run's wall time goes into that contender's samples.
    static func alternate(_ contenders: [BenchContender], runs: Int) throws -> [Samples] {
        var samples = Array(repeating: Samples(), count: contenders.count)
        for _ in 0..<runs {
            // In a new order each round: whoever runs right after a contender absorbs its asynchronous teardown
            // (namespaces, cgroups), which must not always be the same one.
            for index in contenders.indices.shuffled() where contenders[index].skipped == nil {
                let contender = contenders[index]
                do {
                    // CPU over the whole turn, the untimed set-up included: a warm sandbox's processes are
                    // reaped (and counted) when the next one is prepared.
                    let cpuBefore = BenchCPUTime.milliseconds()
                    try contender.setUp?()
                    let wall = try Stopwatch.milliseconds { try contender.runOnce() }
                    samples[index].add(wall, cpu: BenchCPUTime.milliseconds() - cpuBefore)
                } catch {
                    throw BenchFailure(contender.name, "\(error)")
                }
            }
        }
        return samples
    }
}
