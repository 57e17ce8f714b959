#if canImport(Glibc)
import Glibc
#endif
@testable import Sandbox

/// Makes real cgroup2 groups with no controller enabled and no limit written, so that CgroupV2Group's
/// process handling (attach, cgroup.kill, cpu.stat, rmdir) runs on the kernel even where every
/// controller is bound to v1, as on the hybrid development machines.
struct ControllerlessV2Driver: CgroupDriver {
    let parentDirectory: String

    var placements: [CgroupPlacement] { [CgroupPlacement(controller: "none", version: 2, directory: parentDirectory)] }

    func create(name: String, limits: CgroupLimits) throws(SandboxError) -> any SandboxCgroup {
        let directory = parentDirectory + "/" + name
        try CgroupFS.makeChild(directory, in: parentDirectory)
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            let failure = errno
            _ = rmdir(directory)
            throw SandboxError.system(.cgroupFailed, stage: "cgroup.open", errno: failure, "cannot open \(directory)")
        }
        return CgroupV2Group(directory: directory, parentDirectory: parentDirectory, fd: fd)
    }
}
