import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the launching process's malloc heaps out of the sandboxes' inits it clones (`MADV_DONTFORK`).
///
/// An init cloned by the launching thread (`brig run`'s; the daemon's only without its launch zygote, and
/// before the zygote's fork, so that the zygote has no heap either) is a clone of the launching process:
/// without this it gets a copy-on-write copy of every heap page, and for as long as the init lives every page
/// the process writes next faults and is copied, with a TLB shoot-down of its other threads — a few hundred
/// faults per job. The child reads nothing on a heap: it runs C code on the launching thread's stack, with that
/// thread's TLS, the plan (`PlanMemory`, an arena block or mappings of its own) and static data, all of which
/// it still gets.
///
/// One exception: in a statically linked executable (the release `brig`), glibc puts the main thread's TLS and
/// thread block (errno, its rseq area) at the start of the brk heap. A child cloned from that thread touches
/// them the moment the clone returns (without them it faults at once), so the heap up to the end of the
/// calling thread's block stays in the child (`forkedPart`).
///
/// The heaps are glibc's: the brk heap ("[heap]") and each thread arena's first heap, a reservation of
/// `reservation` bytes at an address aligned to it, committed from the bottom (read-write, then no access
/// up to the end). A first heap is never unmapped (only an arena's later heaps are), so marking its whole
/// reservation once covers its growth; anything that only looks like one is left alone.
enum MallocHeapExclusion {
    /// glibc's HEAP_MAX_SIZE on 64-bit: 2 × DEFAULT_MMAP_THRESHOLD_MAX.
    static let reservation: UInt = 64 << 20

    /// The first heaps marked so far.
    private static let marked = Mutex<Set<UInt>>([])

    /// Marks the heaps not marked yet. Cheap when nothing is new: one read of /proc/self/maps.
    static func apply() {
        guard let regions = MemoryRegion.current() else { return }
        let heaps = firstHeaps(in: regions)
        marked.withLock { marked in
            for base in heaps where !marked.contains(base) {
                if madvise(UnsafeMutableRawPointer(bitPattern: base), Int(reservation), MADV_DONTFORK) == 0 {
                    marked.insert(base)
                }
            }
        }
        let threadBlock = UInt(bitPattern: Int(pthread_self()))
        for region in regions where region.isAnonymousPrivate && region.name == "[heap]" {
            let kept = forkedPart(of: region.start..<region.end, threadBlock: threadBlock)
            // Marked back explicitly: an earlier launch from another thread may have excluded it.
            if !kept.isEmpty { madvise(UnsafeMutableRawPointer(bitPattern: kept.lowerBound), Int(kept.count), MADV_DOFORK) }
            if kept.upperBound < region.end {
                madvise(UnsafeMutableRawPointer(bitPattern: kept.upperBound), Int(region.end - kept.upperBound), MADV_DONTFORK)
            }
        }
    }

    /// What a thread block takes past its address, with room to spare: glibc's `struct pthread` (about 2.3 KiB,
    /// the rseq area inside it); the static TLS lies below it.
    static let threadBlockSpan: UInt = 16 << 10

    /// The part of the brk heap `heap` a child cloned by the thread whose block is at `threadBlock` must still
    /// get: from the heap's start to the page past that block when the block lies in the heap (a static
    /// executable's main thread), else nothing.
    static func forkedPart(of heap: Range<UInt>, threadBlock: UInt) -> Range<UInt> {
        guard heap.contains(threadBlock) else { return heap.lowerBound..<heap.lowerBound }
        let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let end = (threadBlock + threadBlockSpan + pageSize - 1) / pageSize * pageSize
        return heap.lowerBound..<min(end, heap.upperBound)
    }

    /// The bases of glibc's first arena heaps among `regions` (sorted by address, as /proc lists them): an
    /// aligned anonymous read-write region, the reservation exactly filled by anonymous regions, and glibc's
    /// `heap_info` at its base saying it is an arena's first heap (no previous heap).
    static func firstHeaps(
        in regions: [MemoryRegion], isFirstHeap: (UInt) -> Bool = MallocHeapExclusion.isFirstHeapInfo(at:)
    ) -> [UInt] {
        var bases: [UInt] = []
        var index = 0
        while index < regions.count {
            let base = regions[index]
            guard base.start % reservation == 0, base.isAnonymousPrivate, base.readable, base.writable else {
                index += 1
                continue
            }
            let end = base.start + reservation
            var cursor = base.end
            var next = index + 1
            while cursor < end, next < regions.count, regions[next].start == cursor, regions[next].isAnonymousPrivate {
                cursor = regions[next].end
                next += 1
            }
            if cursor == end, isFirstHeap(base.start) { bases.append(base.start) }
            index = max(next, index + 1)
        }
        return bases
    }

    /// glibc's `heap_info` starts { mstate ar_ptr; heap_info *prev; size_t size; ... }: a first heap has no
    /// previous one and its arena (malloc_state) right after its header, inside the heap.
    static func isFirstHeapInfo(at base: UInt) -> Bool {
        guard let header = UnsafePointer<UInt>(bitPattern: base) else { return false }
        let arena = header[0], previous = header[1], size = header[2]
        return previous == 0 && arena > base && arena < base + 4096 && size > 0 && size <= reservation
    }
}
