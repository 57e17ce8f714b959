import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// A `brig_launch_plan` and the C memory it points into, prepared entirely before the clone: the child only
/// reads it. The memory lives as long as this object.
final class LaunchPlan {
    private(set) var plan = brig_launch_plan()
    private let memory: PlanMemory

    struct Streams {
        var stdin: Int32
        var stdout: Int32
        var stderr: Int32
    }

    init(
        command: [String], environment: [String], workingDirectory: String, cloneFlags: UInt64,
        cgroupFD: Int32?, hostname: String, root: String, steps: [MountStep], rlimits: [brig_rlimit],
        lastCapability: Int32, filter: [UInt8], streams: Streams, loopbackUp: Bool = true, warm: Bool = false,
        zygote: LaunchZygote? = nil
    ) {
        memory = PlanMemory(zygote: zygote)
        plan.file = UnsafePointer(copy(command[0]))
        plan.argv = UnsafePointer(copy(command))
        plan.envp = UnsafePointer(copy(environment))
        plan.cwd = UnsafePointer(copy(workingDirectory))
        plan.uid = SandboxIdentity.insideID
        plan.gid = SandboxIdentity.insideID
        plan.clone_flags = cloneFlags
        plan.cgroup_fd = cgroupFD ?? -1
        plan.hostname = UnsafePointer(copy(hostname))
        plan.loopback_up = loopbackUp ? 1 : 0
        plan.root = UnsafePointer(copy(root))
        plan.root_options = UnsafePointer(copy("size=1m,nr_inodes=4096,mode=0755"))

        let ops = allocate(brig_mount_op.self, count: steps.count)
        for (index, step) in steps.enumerated() {
            var op = brig_mount_op()
            op.kind = step.kind.rawValue
            op.mode = step.mode
            op.flags = step.flags
            op.source = step.source.map { UnsafePointer(copy($0)) }
            op.target = UnsafePointer(copy(root + step.target))
            if step.kind == .tmpfs {
                op.data = UnsafePointer(copy(String(decoding: step.data, as: UTF8.self)))
            } else if !step.data.isEmpty {
                let bytes = allocate(CChar.self, count: step.data.count)
                for (offset, byte) in step.data.enumerated() { bytes[offset] = CChar(bitPattern: byte) }
                op.data = UnsafePointer(bytes)
                op.data_len = step.data.count
            }
            ops[index] = op
        }
        plan.mounts = UnsafePointer(ops)
        plan.mount_count = steps.count

        let limits = allocate(brig_rlimit.self, count: rlimits.count)
        limits.update(from: rlimits, count: rlimits.count)
        plan.rlimits = UnsafePointer(limits)
        plan.rlimit_count = rlimits.count
        plan.last_cap = lastCapability

        if !filter.isEmpty {
            let bytes = allocate(UInt8.self, count: filter.count)
            bytes.update(from: filter, count: filter.count)
            plan.filter = UnsafeRawPointer(bytes)
            plan.filter_len = UInt16(filter.count / 8)
        }
        plan.stdin_fd = streams.stdin
        plan.stdout_fd = streams.stdout
        plan.stderr_fd = streams.stderr
        plan.warm = warm ? 1 : 0
    }

    /// Where the zygote can launch this plan from: when it lies in one block of the zygote's arena.
    var zygoteBlock: (zygote: LaunchZygote, block: UnsafeRawPointer, length: Int)? { memory.zygoteBlock }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        memory.allocate(bytes: count * MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: max(1, count))
    }

    private func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { bytes in
            let pointer = allocate(CChar.self, count: bytes.count + 1)
            if let source = bytes.baseAddress { UnsafeMutableRawPointer(pointer).copyMemory(from: source, byteCount: bytes.count) }
            pointer[bytes.count] = 0
            return pointer
        }
    }

    /// A NULL-terminated array of C strings.
    private func copy(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = copy(string) }
        array[strings.count] = nil
        return array
    }
}
