#if canImport(Glibc)
import Glibc
#endif

/// The C memory of one `LaunchPlan`, in anonymous mappings of its own rather than malloc's heaps: the clone of a
/// sandbox's init copies no malloc heap of the launching process (see `MallocHeapExclusion`), and this is the
/// memory of the launcher's the child reads. Freed (unmapped) with the plan.
final class PlanMemory {
    private var mappings: [UnsafeMutableRawBufferPointer] = []
    private var used = 0

    /// Plans are a few KiB (paths, argv, environment, a seccomp program); a large argv gets a mapping its size.
    static let mappingSize = 64 << 10

    func allocate(bytes: Int, alignment: Int = 16) -> UnsafeMutableRawPointer {
        let bytes = max(1, bytes)
        var offset = (used + alignment - 1) & ~(alignment - 1)
        if mappings.isEmpty || offset + bytes > mappings[mappings.count - 1].count {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let size = max(Self.mappingSize, (bytes + page - 1) / page * page)
            let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let address, address != MAP_FAILED else { fatalError("out of memory for a launch plan") }
            mappings.append(UnsafeMutableRawBufferPointer(start: address, count: size))
            offset = 0
        }
        used = offset + bytes
        return mappings[mappings.count - 1].baseAddress! + offset
    }

    deinit {
        for mapping in mappings { munmap(mapping.baseAddress, mapping.count) }
    }
}
