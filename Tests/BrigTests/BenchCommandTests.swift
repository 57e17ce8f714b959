import Foundation
import TestSupport
import Testing

/// `brig bench` with tiny counts: every section's figures come out, and the daemon, cgroups and mounts it made
/// are gone afterwards.
@Suite(.ownThread) struct BenchCommandTests {
    @Test func tinyRunReportsEverySectionAndLeavesNothingBehind() throws {
        let directory = NSTemporaryDirectory() + "brig-bench-test-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try BrigInvocation.run([
            "bench", "--json", "--directory", directory, "--runs", "5", "--jobs", "3", "--clients", "2",
            "--clients", "4", "--jobs-per-client", "2", "--endurance-jobs", "40", "--few", "60", "--stored", "120",
            "--requests", "3",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])

        let launch = try #require(report["launch"] as? [[String: Any]])
        #expect(launch.map { $0["name"] as? String ?? "" }.contains { $0.hasPrefix("SandboxLauncher.run") })
        // Measured rows: the bare baseline, the in-process launcher, unshare and brig run at least.
        #expect(launch.filter { $0["latency"] != nil }.count >= 4)
        for figure in launch + (try #require(report["service"] as? [[String: Any]])) {
            try Self.checkPercentiles(figure["latency"], count: nil, skippedNote: figure["note"])
        }
        let service = try #require(report["service"] as? [[String: Any]])
        #expect(service.count == 4)
        for figure in service { try Self.checkPercentiles(figure["latency"], count: 3) }

        let throughput = try #require(report["throughput"] as? [String: Any])
        let loads = try #require(throughput["loads"] as? [[String: Any]])
        #expect(loads.map { $0["clients"] as? Int } == [2, 4])
        var cpuTotal = 0.0
        for load in loads {
            #expect((load["jobs_per_second"] as? Double ?? 0) > 0)
            try Self.checkPercentiles(load["latency"], count: (load["clients"] as? Int ?? 0) * 2)
            // The daemon's CPU per job, its own and its sandboxes': read from /proc, in 10 ms ticks.
            let cpu = try #require(load["cpu_per_job"] as? [String: Double], "\(load)")
            #expect(Set(cpu.keys) == ["user", "kernel", "reaped_children"])
            #expect(cpu.values.allSatisfy { $0 >= 0 }, "\(cpu)")
            cpuTotal += cpu.values.reduce(0, +) * Double(load["jobs"] as? Int ?? 0)
        }
        // Twelve jobs cost tens of milliseconds of CPU: some ticks must have been counted.
        #expect(cpuTotal > 0)
        #expect((throughput["idle_resident_kilobytes"] as? Int ?? 0) > 0)
        // Five endurance rounds of 8 clients x 1 job, counted on from the 12 jobs of the loads.
        let endurance = try #require(throughput["endurance"] as? [[String: Any]])
        #expect(endurance.map { $0["jobs"] as? Int } == [20, 28, 36, 44, 52])
        #expect(endurance.allSatisfy { ($0["kilobytes"] as? Int ?? 0) > 0 })

        let scale = try #require(report["scale"] as? [String: Any])
        let requests = try #require(scale["requests"] as? [[String: Any]])
        #expect(requests.count == 6)
        for figure in requests { try Self.checkPercentiles(figure["latency"], count: 3) }
        #expect(scale["purged_jobs"] as? Int == 108)
        #expect((scale["purge_milliseconds"] as? Double ?? 0) > 0)

        // Nothing left: no daemon on the bench's socket, no cgroup, no mount, no directory.
        let socket = directory + "/brig.sock"
        #expect(Self.processes(mentioning: socket).isEmpty)
        let leftoverCgroups = try FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup").flatMap { hierarchy in
            ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/\(hierarchy)")) ?? [])
                .filter { $0.hasPrefix("brig-bench") }.map { "\(hierarchy)/\($0)" }
        }
        #expect(leftoverCgroups.isEmpty)
        let mountinfo = String(decoding: try #require(FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readDataToEndOfFile()), as: UTF8.self)
        #expect(!mountinfo.contains(directory))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    /// `--endurance-jobs 0` (no endurance rounds) used to trap on an empty closed range.
    @Test func noEnduranceRoundsIsAValidChoice() throws {
        let directory = NSTemporaryDirectory() + "brig-bench-no-endurance-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try BrigInvocation.run([
            "bench", "--json", "--directory", directory, "--skip-launch", "--skip-service", "--skip-scale",
            "--clients", "1", "--jobs-per-client", "1", "--endurance-jobs", "0",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let throughput = try #require(report["throughput"] as? [String: Any])
        #expect((throughput["loads"] as? [[String: Any]])?.count == 1)
        #expect((throughput["endurance"] as? [[String: Any]])?.isEmpty == true)
    }

    /// A daemon that died under the benchmark leaves its sandboxes' workspaces mounted in the bench's runtime
    /// directory; the bench reaps them (their launcher's pid is gone) and removes its directory all the same.
    @Test func whatADeadLauncherLeftIsReapedAtTheEnd() throws {
        let directory = NSTemporaryDirectory() + "brig-bench-dead-\(getpid())"
        // A pid that existed and is gone: a finished child's.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let workspace = "\(directory)/runtime/work/run-\(child.processIdentifier)-1"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try #require(mount("tmpfs", workspace, "tmpfs", 0, "size=1m") == 0, "mount: \(String(cString: strerror(errno)))")
        defer {
            umount2(workspace, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: directory)
        }

        // Every section skipped: no daemon starts (a daemon's start would reap it too).
        let outcome = try BrigInvocation.run([
            "bench", "--directory", directory, "--skip-launch", "--skip-service", "--skip-throughput", "--skip-scale",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("removed what a dead launcher left: workspace \(workspace)"), "\(outcome.stderr)")
        let mountinfo = String(decoding: try #require(FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readDataToEndOfFile()), as: UTF8.self)
        #expect(!mountinfo.contains(directory))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    /// Positive percentiles in order; `count` runs when given. A skipped row (a note, no latency) passes.
    static func checkPercentiles(_ value: Any?, count: Int?, skippedNote: Any? = nil) throws {
        if value == nil, skippedNote is String { return }
        let latency = try #require(value as? [String: Any])
        let p50 = try #require(latency["p50"] as? Double)
        let p95 = try #require(latency["p95"] as? Double)
        let p99 = try #require(latency["p99"] as? Double)
        #expect(p50 > 0)
        #expect(p50 <= p95)
        #expect(p95 <= p99)
        if let count { #expect(latency["count"] as? Int == count) }
    }

    /// Pids of processes whose command line contains `text`.
    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self).contains(text)
        }
    }
}
