#if canImport(Glibc)
import Glibc
#endif

/// The C memory of one `LaunchPlan`, outside malloc's heaps: a block of the launch zygote's arena when one is
/// free (the zygote gets the block's bytes and puts them at the same address), else anonymous mappings of its
/// own, which the clone of a sandbox's init from this process copies without any malloc heap (see
/// `MallocHeapExclusion`). Freed with the plan.
final class PlanMemory {
    private var mappings: [UnsafeMutableRawBufferPointer] = []
    /// Bytes used in the last mapping, and in the first once there are more.
    private var used = 0
    private var blockUsed = 0
    private let zygote: LaunchZygote?

    /// Plans are a few KiB (paths, argv, environment, a seccomp program); a large argv gets a mapping its size.
    static let mappingSize = 64 << 10

    init(zygote: LaunchZygote?) {
        self.zygote = zygote
    }

    /// The zygote, the plan's only block and the bytes used in it, when the plan lies in one block of its arena.
    var zygoteBlock: (zygote: LaunchZygote, block: UnsafeRawPointer, length: Int)? {
        guard mappings.count == 1, let zygote, let base = mappings[0].baseAddress, zygote.owns(base) else { return nil }
        return (zygote, UnsafeRawPointer(base), used)
    }

    func allocate(bytes: Int, alignment: Int = 16) -> UnsafeMutableRawPointer {
        let bytes = max(1, bytes)
        var offset = (used + alignment - 1) & ~(alignment - 1)
        if mappings.isEmpty || offset + bytes > mappings[mappings.count - 1].count {
            if mappings.count == 1 { blockUsed = used }
            mappings.append(newMapping(bytes: bytes))
            offset = 0
        }
        used = offset + bytes
        return mappings[mappings.count - 1].baseAddress! + offset
    }

    private func newMapping(bytes: Int) -> UnsafeMutableRawBufferPointer {
        if mappings.isEmpty, bytes <= LaunchZygote.blockSize, let block = zygote?.takeBlock() {
            return UnsafeMutableRawBufferPointer(start: block, count: LaunchZygote.blockSize)
        }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = max(Self.mappingSize, (bytes + page - 1) / page * page)
        let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let address, address != MAP_FAILED else { fatalError("out of memory for a launch plan") }
        return UnsafeMutableRawBufferPointer(start: address, count: size)
    }

    deinit {
        for (index, mapping) in mappings.enumerated() {
            if let zygote, let base = mapping.baseAddress, zygote.owns(base) {
                // Cleared: an init this process clones itself (its zygote gone) copies the arena, and must find
                // no other job's plan there. Only the first mapping is ever a block.
                memset(base, 0, index == mappings.count - 1 ? used : blockUsed)
                zygote.returnBlock(base)
            } else {
                munmap(mapping.baseAddress, mapping.count)
            }
        }
    }
}
