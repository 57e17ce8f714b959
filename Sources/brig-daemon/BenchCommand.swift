import ArgumentParser
import BrigCommandLine
import Catalog
import DaemonClient
import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// `brig bench`: launch latency, latency through the daemon, throughput and scale, each side by side with what
/// it is compared to, measured in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure launch latency, jobs through the daemon, throughput and scale, side by side with ratios.",
        discussion: """
            1. launch: /bin/true bare (posix_spawn+waitpid), through SandboxLauncher.run in this process, bwrap, \
            unshare and the `brig run` command, the contenders taking turns run by run. 2. service: synchronous \
            bash and python jobs through a daemon (this executable's `serve` on a temporary socket) against the same \
            programs run bare. 3. throughput: concurrent clients submitting synchronous jobs; each job's CPU \
            time (the daemon's own and its sandboxes'); the daemon's RSS, idle, under load and as 10,000 more jobs \
            go through it. 4. scale: GET and list latency with few and \
            many jobs stored; JobStore.purge time. Must run as root. The defaults take about a minute and a half \
            on 2 cores (release build).
            """
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: "Launch section: runs per contender.")
    var runs = 200

    @Option(help: "Service section: jobs (and bare runs) per program.")
    var jobs = 200

    @Option(name: .customLong("clients"), help: "Throughput section: a number of concurrent clients; repeatable.")
    var concurrency: [Int] = [2, 8, 32]

    @Option(name: .customLong("jobs-per-client"), help: "Throughput section: jobs each client submits.")
    var jobsPerClient = 25

    @Option(
        name: .customLong("endurance-jobs"),
        help: "Throughput section: jobs run after the loads, in five rounds, the daemon's RSS read after each (0: none).")
    var enduranceJobs = 10_000

    @Option(help: "Scale section: jobs stored for the large case.")
    var stored = 10_000

    @Option(help: "Scale section: jobs stored for the small case.")
    var few = 100

    @Option(help: "Scale section: times each request is made per case.")
    var requests = 200

    @Option(help: "Where the temporary socket, state and runtime directories go (removed at the end). Default: /tmp/brig-bench-PID")
    var directory: String?

    @Option(help: "An nsjail binary for the launch section (default: $BRIG_BENCH_NSJAIL); Debian does not package it.")
    var nsjail: String?

    @Flag(name: .customLong("skip-launch"), help: "Skip section 1 (launch latency).")
    var skipLaunch = false

    @Flag(name: .customLong("skip-service"), help: "Skip section 2 (jobs through the daemon).")
    var skipService = false

    @Flag(name: .customLong("skip-throughput"), help: "Skip section 3 (concurrent clients, daemon RSS).")
    var skipThroughput = false

    @Flag(name: .customLong("skip-scale"), help: "Skip section 4 (many jobs stored, purge).")
    var skipScale = false

    @Flag(help: "Print the figures as JSON on stdout instead of the report.")
    var json = false

    func validate() throws {
        for (name, value) in [("--runs", runs), ("--jobs", jobs), ("--jobs-per-client", jobsPerClient), ("--requests", requests)]
        where value < 1 {
            throw ValidationError("\(name): \(value) is not a positive count")
        }
        if enduranceJobs < 0 { throw ValidationError("--endurance-jobs: \(enduranceJobs) is not a count") }
        if concurrency.contains(where: { $0 < 1 }) { throw ValidationError("--clients: give positive numbers of clients") }
        if few < 51 || stored <= few {
            throw ValidationError("--few must be over 50 (one page) and --stored over --few")
        }
    }

    func run() throws {
        let base = directory ?? "/tmp/brig-bench-\(getpid())"
        let report: BenchReport
        do {
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            defer {
                Self.reapLeftovers(runtimeDirectory: base + "/runtime")
                Self.removeDirectory(base)
            }
            report = try measure(in: base)
        } catch {
            StandardStream.error.write("brig bench: \(error)\n")
            throw ExitCode(1)
        }
        StandardStream.output.write(json ? report.json : report.text)
    }

    private func measure(in base: String) throws -> BenchReport {
        let catalog = try catalogOptions.resolve()
        guard let executable = ProcessEnvironment.executable else {
            throw BenchFailure("find this executable", "cannot read /proc/self/exe")
        }
        let catalogArguments = catalogOptions.catalog.map { ["--catalog", $0] } ?? []
        let runtimeDirectory = base + "/runtime"
        let makeDaemon = { (stateDirectory: String) throws -> BenchDaemon in
            try BenchDaemon(
                executable: executable, directory: base, stateDirectory: stateDirectory,
                runtimeDirectory: runtimeDirectory, catalogArguments: catalogArguments)
        }
        var report = BenchReport(machine: Self.machine, build: Self.buildMode)
        if !skipLaunch {
            Self.progress("launch: \(runs) runs per contender")
            report.launch = try BenchLaunch(
                catalog: catalog, executable: SiblingExecutable.path("brig"), catalogArguments: catalogArguments,
                runtimeDirectory: runtimeDirectory, runs: runs,
                nsjail: nsjail ?? ProcessEnvironment.value(of: "BRIG_BENCH_NSJAIL")
            ).measure()
        }
        if !skipService || !skipThroughput {
            let daemon = try makeDaemon(base + "/state")
            defer { daemon.stop() }
            if !skipService {
                Self.progress("service: \(jobs) jobs per program")
                report.service = try BenchService(daemon: daemon, runs: jobs).measure()
            }
            if !skipThroughput {
                Self.progress("throughput: \(concurrency.map(String.init).joined(separator: ", ")) clients, \(jobsPerClient) jobs each")
                report.throughput = try BenchThroughput(
                    daemon: daemon, concurrency: concurrency, jobsPerClient: jobsPerClient, enduranceJobs: enduranceJobs
                ).measure(progress: Self.progress)
            }
        }
        if !skipScale {
            Self.progress("scale: \(few) and \(stored) jobs stored, \(requests) requests each")
            report.scale = try BenchScale(
                makeDaemon: makeDaemon, stateDirectory: base + "/scale", fewJobs: few, manyJobs: stored,
                requests: requests
            ).measure()
        }
        return report
    }

    private static func progress(_ line: String) {
        StandardStream.error.write("brig bench: \(line)\n")
    }

    /// What a launcher that died under the benchmark left in its runtime directory (a daemon that crashed
    /// mid-run leaves its sandboxes' workspace mounts and cgroups): reaped as the daemon's next start would.
    private static func reapLeftovers(runtimeDirectory: String) {
        guard let cgroups = try? CgroupDetector.detect(),
              let launcher = try? SandboxLauncher(
                runtimeDirectory: runtimeDirectory, cgroups: cgroups, seccomp: SeccompProgram(bytes: []))
        else { return }
        for item in launcher.reapLeftovers() { progress("removed what a dead launcher left: \(item)") }
    }

    /// Removes the benchmark's directory, unless something is still mounted inside it (removing would then
    /// reach into a mount); that is reported instead.
    private static func removeDirectory(_ base: String) {
        let mountinfo = (FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readDataToEndOfFile()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard !mountinfo.contains(" \(base)/") else {
            progress("left \(base) in place: something is still mounted inside it")
            return
        }
        try? FileManager.default.removeItem(atPath: base)
    }

    static var buildMode: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// Cores, CPU model, kernel and cgroup version: what the figures depend on.
    static var machine: String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let cgroup = ((try? CgroupDetector.detect())?.placements.first?.version).map { "cgroup v\($0)" } ?? "cgroup ?"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(model)), Linux \(kernel), \(cgroup)"
    }
}
