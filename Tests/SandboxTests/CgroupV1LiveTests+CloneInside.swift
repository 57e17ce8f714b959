#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
@testable import Sandbox

/// `CgroupV1Group.clonedInside` on the real kernel: what the calling thread starts while inside is born in the
/// sandbox's cgroups, the thread comes back to its own, and no kill can reach this process meanwhile.
extension CgroupV1LiveTests {
    static let joined = ["freezer", "memory", "pids", "cpu", "cpuacct"]

    /// Set once, from any thread.
    final class Flag: Sendable {
        private let raised = Atomic(false)
        func raise() { raised.store(true, ordering: .sequentiallyConsistent) }
        var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
    }

    /// Starts `/bin/sleep 30` from the calling thread; its pid, or -1.
    static func spawnSleeper() -> Int32 {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30"), nil]
        defer { argv.forEach { free($0) } }
        return posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ) == 0 ? pid : -1
    }

    static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    @Test func whatTheThreadStartsInsideIsBornThereAndTheThreadComesBack() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 8))
            defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
            let before = try String(contentsOfFile: "/proc/thread-self/cgroup", encoding: .utf8)
            let processBefore = try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)
            var inside = ""
            let pid = try #require(try group.clonedInside {
                inside = (try? String(contentsOfFile: "/proc/thread-self/cgroup", encoding: .utf8)) ?? ""
                return Self.spawnSleeper()
            })
            try #require(pid > 0)
            defer { _ = Self.reap(pid) }
            let child = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
            let parentName = driver.uniqueParents[0].split(separator: "/").last ?? ""
            let expected = "/\(parentName)/run"
            for controller in Self.joined {
                #expect(CgroupV1Group.paths(in: inside)[controller] == expected, "\(controller): the thread was inside")
                #expect(CgroupV1Group.paths(in: child)[controller] == expected, "\(controller): the child was born inside")
            }
            #expect(try String(contentsOfFile: "/proc/thread-self/cgroup", encoding: .utf8) == before, "the thread is back")
            #expect(try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) == processBefore)
            #expect(LiveCgroupHost.processes(in: group) == [pid], "only the child is left inside")
            try group.killAll()
            try group.remove()
        }
    }

    @Test func aKillWaitsUntilTheThreadHasLeft() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 8))
            defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
            let go = Flag()
            let killed = Flag()
            // Started before the thread steps in: a thread it started while inside would be born inside too.
            Thread.detachNewThread {
                while !go.isRaised { usleep(1_000) }
                try? group.killAll()
                killed.raise()
            }
            var killedWhileInside = true
            let pid = try #require(try group.clonedInside {
                let pid = Self.spawnSleeper()
                // Were the kill not held off, it would freeze and SIGKILL every process listed inside: this one.
                go.raise()
                usleep(200_000)
                killedWhileInside = killed.isRaised
                return pid
            })
            try #require(pid > 0)
            let status = Self.reap(pid)
            #expect(!killedWhileInside, "the kill waited for the thread to leave")
            #expect(WaitStatus(status) == .signaled(SIGKILL), "and then killed what was born inside (status \(status))")
            for _ in 0..<500 where !killed.isRaised { usleep(10_000) }
            #expect(killed.isRaised)
            try group.remove()
        }
    }

    @Test func withOnePidAllowedTheThreadStaysOut() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 1))
            defer { try? group.remove() }
            var ran = false
            let status = try group.clonedInside {
                ran = true
                return 0
            }
            #expect(status == nil && !ran, "the thread and its child would be two of one pid allowed")
            try group.remove()
        }
    }
}
