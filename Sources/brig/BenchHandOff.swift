import ArgumentParser

/// `brig bench`: hands the process to `brig-daemon bench`, installed beside brig (it starts daemons and fills
/// a store of its own, so it lives with them).
struct BenchHandOff: HandOffCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure launch latency, jobs through the daemon, throughput and scale, side by side with ratios.",
        discussion: "Runs brig-daemon bench from brig's own folder; `brig bench --help` shows its options."
    )

    @Argument(parsing: .captureForPassthrough, help: "The benchmark's options (see brig bench --help).")
    var arguments: [String] = []

    static let target = (executable: "brig-daemon", leading: ["bench"])
}
