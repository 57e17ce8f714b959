import CSandbox
#if canImport(Glibc)
import Glibc
#endif

extension SandboxRun {
    /// Clones the sandbox's init with the plan `makePlan` builds around fresh stdin/stdout/stderr pipes, maps
    /// its ids, places it in `cgroup` (born there when the calling thread clones it, or on v2; the zygote's are
    /// attached after) and lets it start. With `network` (a
    /// session's), the clone happens inside that namespace and inherits it. On failure nothing is left: the
    /// child is killed and reaped, every fd closed.
    static func start(
        identity: SandboxIdentity, cgroup: any SandboxCgroup, network: NetworkNamespace? = nil,
        makePlan: (LaunchPlan.Streams) -> LaunchPlan
    ) throws(SandboxError) -> (brig_launch, Channels) {
        var stdin = try Pipe()
        var stdout = try Pipe()
        var stderr = try Pipe()
        let plan = makePlan(LaunchPlan.Streams(stdin: stdin.read, stdout: stdout.write, stderr: stderr.write))
        var launch = brig_launch()
        var cPlan = plan.plan
        let status: Int32
        var bornInside = false
        if network == nil, let (zygote, block, length) = plan.zygoteBlock,
           let launched = zygote.launch(&cPlan, block: block, length: length, into: &launch) {
            status = launched
        } else {
            MallocHeapExclusion.apply()
            // The plan must stay on this stack: the malloc heaps are not copied into the child (see
            // MallocHeapExclusion), and a variable that a closure captures may be moved to one.
            status = try withUnsafeMutablePointer(to: &cPlan) { (cPlan) throws(SandboxError) -> Int32 in
                try withUnsafeMutablePointer(to: &launch) { (launch) throws(SandboxError) -> Int32 in
                    func clone() throws(SandboxError) -> Int32 {
                        if let status = try cgroup.clonedInside({ brig_launch_start(cPlan, launch) }) {
                            bornInside = true
                            return status
                        }
                        return brig_launch_start(cPlan, launch)
                    }
                    if let network { return try network.withEntered(clone) }
                    return try clone()
                }
            }
        }
        stdin.closeRead()
        stdout.closeWrite()
        stderr.closeWrite()
        if status < 0 {
            stdin.closeWrite()
            stdout.closeRead()
            stderr.closeRead()
            throw .system(.launchFailed, stage: "clone", errno: -status, "cannot clone the sandbox")
        }
        var channels = Channels(launch: launch, stdin: stdin, stdout: stdout, stderr: stderr)
        func abandon() {
            kill(launch.pid, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(launch.pid, &ignored, 0) < 0 && errno == EINTR {}
            channels.closeAll()
            if launch.request_fd >= 0 { close(launch.request_fd) }
        }
        do throws(SandboxError) {
            try KernelFile.write(identity.uidMap, to: "/proc/\(launch.pid)/uid_map", failure: .launchFailed, stage: "id_map")
            try KernelFile.write(identity.gidMap, to: "/proc/\(launch.pid)/gid_map", failure: .launchFailed, stage: "id_map")
            if cgroup.cloneTarget == nil && !bornInside { try cgroup.attach(pid: launch.pid) }
        } catch {
            abandon()
            throw error
        }
        var go: UInt8 = 1
        if write(launch.go_fd, &go, 1) != 1 {
            let goErrno = errno
            abandon()
            throw .system(.launchFailed, stage: "go", errno: goErrno, "cannot start the sandbox")
        }
        channels.closeGo()
        return (launch, channels)
    }
}
