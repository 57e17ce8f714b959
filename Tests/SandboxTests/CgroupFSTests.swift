#if canImport(Glibc)
import Glibc
import TestSupport
#endif
import Testing
@testable import Sandbox

/// The control-file access both drivers share.
@Suite(.ownThread)
struct CgroupFSTests {
    @Test(arguments: [
        ("oom_kill", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", UInt64?.some(3)),
        ("SwapTotal:", "MemTotal:  4024320 kB\nSwapTotal:       2048 kB\n", 2048),
        ("max", "max 0\n", 0),
        ("usage_usec", "usage_usec\t77\nuser_usec 70\n", 77),
        ("oom", "oom_kill 3\n", nil),
        ("max", "", nil),
    ])
    func keyedValues(key: String, text: String, expected: UInt64?) {
        #expect(CgroupFS.value(of: key, in: text) == expected)
    }

    @Test func numbersAndProcessIDs() {
        #expect(CgroupFS.number(in: "67108864\n") == 67_108_864)
        #expect(CgroupFS.number(in: "max\n") == nil)
        #expect(CgroupFS.processIDs(in: "12\n345\n\n") == [12, 345])
        #expect(CgroupFS.processIDs(in: "") == [])
    }

    @Test func writeThenReadRoundTrips() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        try CgroupFS.write("first value", to: tree.path("memory.max"))
        try CgroupFS.write("42", to: tree.path("memory.max"))
        #expect(try CgroupFS.read(tree.path("memory.max")) == "42")
        #expect(CgroupFS.number(at: tree.path("memory.max")) == 42)
    }

    @Test func failuresNameTheFileAndErrno() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let missing = tree.path("gone/memory.max")

        let writeError = #expect(throws: SandboxError.self) { try CgroupFS.write("1", to: missing) }
        #expect(writeError == .system(
            .cgroupFailed, stage: "cgroup.memory.max", errno: ENOENT, "cannot open \(missing) to write \"1\""))

        let absent = tree.path("cgroup.kill")
        let noCreateError = #expect(throws: SandboxError.self) { try CgroupFS.write("1", to: absent, creating: false) }
        #expect(noCreateError?.errno == ENOENT)
        #expect(!tree.exists("cgroup.kill"))

        let readError = #expect(throws: SandboxError.self) { try CgroupFS.read(missing) }
        #expect(readError?.stage == "cgroup.memory.max")
        #expect(readError?.message.contains(missing) == true)
        #expect(CgroupFS.readIfPresent(missing) == nil)
        #expect(try CgroupFS.processes(listedIn: missing) == [])
    }
}
