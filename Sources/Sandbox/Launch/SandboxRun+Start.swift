import CSandbox
#if canImport(Glibc)
import Glibc
#endif

extension SandboxRun {
    /// Clones the sandbox's init with the plan `makePlan` builds around fresh stdin/stdout/stderr pipes, maps
    /// its ids, places it in `cgroup` (on v1; on v2 it is born there) and lets it start. With `network` (a
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
        if network == nil, let (zygote, block, length) = plan.zygoteBlock,
           let launched = zygote.launch(&cPlan, block: block, length: length, into: &launch) {
            status = launched
        } else {
            MallocHeapExclusion.apply()
            if let network {
                status = try network.withEntered { () throws(SandboxError) in brig_launch_start(&cPlan, &launch) }
            } else {
                status = brig_launch_start(&cPlan, &launch)
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
            if cgroup.cloneTarget == nil { try cgroup.attach(pid: launch.pid) }
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
