import Foundation
import Testing
@testable import Sandbox

/// The launch zygote on the real kernel: its inits are this process's children with none of this process's
/// memory, one plan leaves nothing for the next init to read, and launches go on when it has gone.
@Suite struct LaunchZygoteTests {
    /// The writable regions of `pid`'s memory that hold `needle` (root reads any process's memory).
    static func regions(of pid: pid_t, holding needle: String) throws -> [MemoryRegion] {
        let regions = MemoryRegion.parse(try #require(KernelFile.readBytes("/proc/\(pid)/maps")))
        let fd = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0, "cannot open /proc/\(pid)/mem: errno \(errno)")
        defer { close(fd) }
        let pattern = Array(needle.utf8)
        return regions.filter { $0.readable && $0.writable }.filter { region in
            var bytes = [UInt8](repeating: 0, count: Int(region.end - region.start))
            return bytes.withUnsafeMutableBytes { buffer in
                let got = pread(fd, buffer.baseAddress, buffer.count, off_t(Int64(bitPattern: UInt64(region.start))))
                guard got >= pattern.count, let base = buffer.baseAddress else { return false }
                var cursor = base
                let end = base + got - pattern.count + 1
                while cursor < end, let found = memchr(cursor, Int32(pattern[0]), end - cursor) {
                    if memcmp(found, pattern, pattern.count) == 0 { return true }
                    cursor = found + 1
                }
                return false
            }
        }
    }

    static func parent(of pid: pid_t) throws -> pid_t {
        let status = String(decoding: try #require(KernelFile.readBytes("/proc/\(pid)/status")), as: UTF8.self)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("PPid:") })
        return try #require(pid_t(line.dropFirst(5).trimmingCharacters(in: .whitespaces)))
    }

    /// A mapping this process makes after the zygote started is in an init its own thread clones and not in one
    /// the zygote clones, which is still this process's child.
    @Test func theZygotesInitsAreThisProcesssChildrenWithoutItsMemory() throws {
        let zygote = try #require(LaunchZygote.shared)
        let size = 1 << 20
        let mapping = try #require(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, size) }
        memset(mapping, 0x5a, size)
        let start = UInt(bitPattern: mapping)

        for (zygote, expectCopy) in [(zygote, false), (nil, true)] {
            let launcher = try SandboxFixture.launcher(zygote: zygote)
            let sandbox = try launcher.prepare(SandboxShape(try SandboxFixture.spec(["/bin/true"])))
            defer { sandbox.close() }
            #expect(try Self.parent(of: sandbox.launch.pid) == getpid())
            let initRegions = MemoryRegion.parse(try #require(KernelFile.readBytes("/proc/\(sandbox.launch.pid)/maps")))
            #expect(initRegions.count > 5)
            let copied = initRegions.contains { $0.start <= start && start < $0.end }
            #expect(copied == expectCopy, "cloned by \(zygote == nil ? "this thread" : "the zygote"): copy \(copied)")
        }
    }

    /// The zygote clears each plan once its init is cloned: a plan far larger than the next (a long environment
    /// variable) leaves none of it in the next init's memory, where the next plan itself is found.
    @Test func onePlanLeavesNothingForTheNextInit() throws {
        let launcher = try SandboxFixture.launcher(zygote: try #require(LaunchZygote.shared))
        // Built at run time: the words alone are in this binary's data, which every init has a copy of.
        let secret = String(repeating: "PlanOfAnotherJob-", count: 1500)  // ~25 KB: past the next plan's end
        var spec = try SandboxFixture.spec(["/bin/true"])
        spec.environment["BRIG_TEST_SECRET"] = secret
        #expect(launcher.run(spec).status == .ok)

        let own = "zygote-own-\(getpid())"
        var next = try SandboxFixture.spec(["/bin/true"])
        next.hostname = own
        let sandbox = try launcher.prepare(SandboxShape(next))
        defer { sandbox.close() }
        let ownPlan = try Self.regions(of: sandbox.launch.pid, holding: own)
        #expect(!ownPlan.isEmpty, "the init's own plan was not found: the search reads nothing")
        let leaked = try Self.regions(of: sandbox.launch.pid, holding: String(secret.suffix(60)))
        #expect(leaked.isEmpty, "another job's plan is in the init, at \(leaked.map { String($0.start, radix: 16) + " " + $0.name })")
    }

    /// A zygote that has gone (killed here) costs nothing but itself: the next launches clone from their thread.
    @Test func launchesGoOnWhenTheZygoteHasGone() throws {
        let zygote = try #require(LaunchZygote())
        let launcher = try SandboxFixture.launcher(zygote: zygote)
        #expect(launcher.run(try SandboxFixture.spec(["/bin/true"])).status == .ok)
        #expect(kill(zygote.pid, SIGKILL) == 0)
        // Its thread reaps it.
        let deadline = Date().addingTimeInterval(5)
        while kill(zygote.pid, 0) == 0 && Date() < deadline { usleep(10_000) }
        #expect(kill(zygote.pid, 0) == -1 && errno == ESRCH, "the zygote was not reaped")
        for _ in 0..<2 {
            let result = launcher.run(try SandboxFixture.spec(["/bin/sh", "-c", "echo still"]))
            #expect(result.status == .ok)
            #expect(result.stdout.text == "still\n")
        }
    }

    /// A plan larger than a block (a long argument; see `plansTakeBlocksUntilNoneIsFree`) is launched by the
    /// calling thread, and runs as well.
    @Test func aPlanLargerThanABlockLaunchesFromTheCallingThread() throws {
        let launcher = try SandboxFixture.launcher(zygote: try #require(LaunchZygote.shared))
        let long = String(repeating: "x", count: LaunchZygote.blockSize + 1000)
        let result = launcher.run(try SandboxFixture.spec(["/bin/sh", "-c", "echo ${#1}", "sh", long]))
        #expect(result.status == .ok)
        #expect(result.stdout.text == "\(long.count)\n")
    }

    /// Plans take the arena's blocks while there are free ones, then mappings of their own, and give the blocks
    /// back cleared when they go.
    @Test func plansTakeBlocksUntilNoneIsFree() throws {
        let zygote = try #require(LaunchZygote())
        var plans = (0..<LaunchZygote.blockCount).map { _ in PlanMemory(zygote: zygote) }
        let contents = plans.map { $0.allocate(bytes: 100) }
        for content in contents { memset(content, 0x5a, 100) }
        #expect(plans.allSatisfy { $0.zygoteBlock != nil })
        #expect(Set(plans.compactMap { $0.zygoteBlock.map { UInt(bitPattern: $0.block) } }).count == plans.count)
        let overflow = PlanMemory(zygote: zygote)
        _ = overflow.allocate(bytes: 100)
        #expect(overflow.zygoteBlock == nil, "a plan got a block though none was free")
        plans.removeLast()
        // Given back cleared: no plan's bytes stay in the arena.
        #expect(UnsafeRawBufferPointer(start: contents[contents.count - 1], count: 100).allSatisfy { $0 == 0 })
        let next = PlanMemory(zygote: zygote)
        _ = next.allocate(bytes: 100)
        #expect(next.zygoteBlock?.length == 100)
        // A plan that outgrows its block (a long argument) gets a mapping of its own and is no longer one block.
        _ = next.allocate(bytes: LaunchZygote.blockSize)
        #expect(next.zygoteBlock == nil)
        kill(zygote.pid, SIGKILL)
    }
}
