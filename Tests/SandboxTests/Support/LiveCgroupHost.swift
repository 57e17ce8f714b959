#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Sandbox

/// This machine's real cgroup hierarchies, for the tests that create cgroups for real.
enum LiveCgroupHost {
    static let detector = CgroupDetector(mountinfo: CgroupFS.readIfPresent("/proc/self/mountinfo") ?? "")

    /// v1 has every controller a sandbox needs and we may create cgroups.
    static var hasV1: Bool {
        getuid() == 0 && CgroupV1Driver.controllers.allSatisfy { detector.v1Mounts[$0] != nil }
    }

    /// The cgroup2 root when it offers memory, pids and cpu and we may create cgroups.
    static var v2Root: String? {
        guard getuid() == 0, detector.missingV2Controllers().isEmpty else { return nil }
        return detector.v2Mount
    }

    /// Everything named `name` directly under the cgroup mounts (/sys/fs/cgroup/<name>, /sys/fs/cgroup/*/<name>).
    static func leftovers(named name: String) -> [String] {
        let base = "/sys/fs/cgroup"
        let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        let candidates = [base + "/" + name] + hierarchies.map { base + "/" + $0 + "/" + name }
        return candidates.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// The cgroup.procs file listing every process of `group`, whichever driver made it.
    static func procsPath(of group: any SandboxCgroup) -> String {
        if let v1 = group as? CgroupV1Group { return v1.freezer + "/cgroup.procs" }
        if let v2 = group as? CgroupV2Group { return v2.directory + "/cgroup.procs" }
        return "/nonexistent"
    }

    static func processes(in group: any SandboxCgroup) -> [pid_t] {
        (try? CgroupFS.processes(listedIn: procsPath(of: group))) ?? []
    }

    /// Waits until `group` holds at least `count` processes (forks take a moment), at most 5 s.
    static func waitForProcesses(in group: any SandboxCgroup, atLeast count: Int) -> [pid_t] {
        let deadline = ContinuousClock.now + .seconds(5)
        var pids = processes(in: group)
        while pids.count < count, ContinuousClock.now < deadline {
            usleep(5_000)
            pids = processes(in: group)
        }
        return pids
    }

    /// Kills whatever a failed test left in `group` without trusting the code under test: freeze, kill, thaw
    /// by hand (v1), or cgroup.kill (v2), until it is empty or 5 s have passed.
    static func forceEmpty(_ group: any SandboxCgroup) {
        let deadline = ContinuousClock.now + .seconds(5)
        while !processes(in: group).isEmpty, ContinuousClock.now < deadline {
            if let v1 = group as? CgroupV1Group {
                try? CgroupFS.write("FROZEN", to: v1.freezer + "/freezer.state")
                usleep(20_000)
                processes(in: group).forEach { kill($0, SIGKILL) }
                try? CgroupFS.write("THAWED", to: v1.freezer + "/freezer.state")
            } else if let v2 = group as? CgroupV2Group {
                try? CgroupFS.write("1", to: v2.directory + "/cgroup.kill", creating: false)
                processes(in: group).forEach { kill($0, SIGKILL) }
            }
            usleep(20_000)
        }
    }

    /// Removes what a failed test left of a parent cgroup: its (empty) children, then itself.
    static func removeParent(_ directory: String) {
        for child in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            var info = stat()
            if stat(directory + "/" + child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                _ = rmdir(directory + "/" + child)
            }
        }
        _ = rmdir(directory)
    }
}
