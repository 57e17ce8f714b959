import Foundation
import Testing
@testable import Sandbox

/// A launcher that clones inits itself keeps its malloc heaps out of them: which regions count as heaps, and
/// that the kernel has them marked after a launch.
@Suite struct MallocHeapExclusionTests {
    static let mib: UInt = 1 << 20

    static func region(_ start: UInt, _ end: UInt, _ perms: String, name: String = "", inode: UInt = 0) -> MemoryRegion {
        let p = Array(perms.utf8)
        return MemoryRegion(
            start: start, end: end, readable: p[0] == UInt8(ascii: "r"), writable: p[1] == UInt8(ascii: "w"),
            executable: p[2] == UInt8(ascii: "x"), isPrivate: p[3] == UInt8(ascii: "p"), inode: inode, name: name)
    }

    @Test func mapsLinesAreParsed() {
        let text = """
            55ad98119000-55ad98379000 rw-p 00000000 00:00 0 
            55adc2a92000-55adc2ab3000 rw-p 00000000 00:00 0                          [heap]
            7f2933b44000-7f2933b46000 rw-p 0001c000 fe:01 1316913                    /usr/lib/x86_64-linux-gnu/libcap.so.2.66
            7f2933dc2000-7f2933dc4000 r-xp 00000000 00:00 0                          [vdso]

            """
        let regions = MemoryRegion.parse(Array(text.utf8))
        #expect(regions == [
            Self.region(0x55ad_9811_9000, 0x55ad_9837_9000, "rw-p"),
            Self.region(0x55ad_c2a9_2000, 0x55ad_c2ab_3000, "rw-p", name: "[heap]"),
            Self.region(0x7f29_33b4_4000, 0x7f29_33b4_6000, "rw-p", name: "/usr/lib/x86_64-linux-gnu/libcap.so.2.66", inode: 1_316_913),
            Self.region(0x7f29_33dc_2000, 0x7f29_33dc_4000, "r-xp", name: "[vdso]"),
        ])
        #expect(regions[1].isAnonymousPrivate && regions[0].isAnonymousPrivate)
        #expect(!regions[2].isAnonymousPrivate && !regions[3].isAnonymousPrivate)
        #expect(regions[3].executable && !regions[3].writable && !regions[2].executable)
    }

    @Test func onlyAFilledAlignedReservationWithAFirstHeapHeaderIsAHeap() {
        let base: UInt = 0x7f28_ec00_0000  // 64 MiB-aligned
        let reservation = MallocHeapExclusion.reservation
        let heap = [Self.region(base, base + Self.mib, "rw-p"), Self.region(base + Self.mib, base + reservation, "---p")]
        #expect(MallocHeapExclusion.firstHeaps(in: heap) { _ in true } == [base])
        // Grown in two read-write regions (a marked part and a part committed since), still one heap.
        let grown = [Self.region(base, base + Self.mib, "rw-p"), Self.region(base + Self.mib, base + 3 * Self.mib, "rw-p"),
                     Self.region(base + 3 * Self.mib, base + reservation, "---p")]
        #expect(MallocHeapExclusion.firstHeaps(in: grown) { _ in true } == [base])
        // glibc's header says it is a later heap of its arena (which glibc may unmap): left alone.
        #expect(MallocHeapExclusion.firstHeaps(in: heap) { _ in false }.isEmpty)
        // An aligned region whose reservation is not filled (something else follows, or a gap): not a heap.
        let short = [Self.region(base, base + Self.mib, "rw-p"), Self.region(base + 2 * Self.mib, base + reservation, "---p")]
        #expect(MallocHeapExclusion.firstHeaps(in: short) { _ in true }.isEmpty)
        let fileInside = [Self.region(base, base + Self.mib, "rw-p"),
                          Self.region(base + Self.mib, base + reservation, "r--p", name: "/usr/lib/x", inode: 7)]
        #expect(MallocHeapExclusion.firstHeaps(in: fileInside) { _ in true }.isEmpty)
        // Not aligned (a thread's stack above its guard page): not a heap.
        let stack = [Self.region(base - 4096, base, "---p"), Self.region(base + 4096, base + 8 * Self.mib, "rw-p")]
        #expect(MallocHeapExclusion.firstHeaps(in: stack) { _ in true }.isEmpty)
    }

    /// A static executable's main thread has its thread block at the start of the brk heap: a child it clones
    /// keeps the heap up to a page boundary past the block; any other thread's children keep none of it.
    @Test func theBrkHeapUpToTheCallingThreadsBlockStaysInTheChild() {
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let heap: Range<UInt> = 0x4000_0000..<(0x4000_0000 + 256 * page)
        let block = heap.lowerBound + 0x1f40  // past the static TLS, where glibc's first allocation puts it
        let kept = MallocHeapExclusion.forkedPart(of: heap, threadBlock: block)
        #expect(kept.lowerBound == heap.lowerBound)
        #expect(kept.upperBound >= block + MallocHeapExclusion.threadBlockSpan)
        #expect(kept.upperBound % page == 0 && kept.upperBound < block + MallocHeapExclusion.threadBlockSpan + page)
        // A block near the heap's end keeps the whole heap, and never more.
        #expect(MallocHeapExclusion.forkedPart(of: heap, threadBlock: heap.upperBound - 64) == heap)
        // A thread whose block is elsewhere (in its stack's mapping, as in a dynamically linked process).
        #expect(MallocHeapExclusion.forkedPart(of: heap, threadBlock: 0x7f00_0000_0000).isEmpty)
        #expect(MallocHeapExclusion.forkedPart(of: heap, threadBlock: heap.upperBound).isEmpty)
    }

    /// On the real process: after a launch cloned by the launching thread (`brig run`'s, or when the zygote has
    /// gone), every first heap glibc made (this test makes one on a thread of its own, whose allocations go to an
    /// arena) is marked "do not copy", and a sandbox's init has no copy of it.
    @Test func theHeapsAreMarkedInTheKernelAfterALaunch() throws {
        let thread = Thread {
            // Enough small allocations for a thread arena to exist and be in use.
            let blocks = (0..<64).map { _ in malloc(256) }
            blocks.forEach { free($0) }
        }
        thread.start()
        usleep(100_000)
        let launcher = try SandboxFixture.launcher(zygote: nil)
        let result = launcher.run(try SandboxFixture.spec(["/bin/true"]))
        #expect(result.status == .ok)
        let bases = MallocHeapExclusion.firstHeaps(in: try #require(MemoryRegion.current()))
        #expect(!bases.isEmpty, "no thread arena found in /proc/self/maps")
        let smaps = try #require(KernelFile.readBytes("/proc/self/smaps"))
        let lines = String(decoding: smaps, as: UTF8.self).split(separator: "\n")
        for base in bases {
            let header = String(base, radix: 16) + "-"
            // The region's own VmFlags line is the first after its header line.
            let flags = try #require(
                lines.drop { !$0.hasPrefix(header) }.first { $0.hasPrefix("VmFlags:") }, "no smaps entry for \(header)")
            #expect(flags.split(separator: " ").contains("dc"), "heap at \(header) not marked: \(flags)")
        }
        // And the kernel kept them out: a sandbox's init has none of them.
        let sandbox = try launcher.prepare(SandboxShape(try SandboxFixture.spec(["/bin/true"])))
        defer { sandbox.close() }
        let initRegions = MemoryRegion.parse(try #require(KernelFile.readBytes("/proc/\(sandbox.launch.pid)/maps")))
        #expect(initRegions.count > 10)
        let present = Set(initRegions.map(\.start))
        #expect(bases.allSatisfy { !present.contains($0) }, "the init has a copy of a heap")
    }
}
