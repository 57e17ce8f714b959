#if canImport(Glibc)
import Glibc
#endif

/// nsjail as the launch section runs it: once mode, every namespace, read-only binds like bwrap's, a cgroup with
/// brig's default limits (memory, pids, CPU) and a seccomp deny list like brig's, so that it does as much work.
enum BenchNsjail {
    /// The parent cgroups nsjail needs on v1 (it makes its per-run cgroup inside), made for the benchmark.
    final class Cgroups {
        let name = "brig-bench-nsjail-\(getpid())"
        let version2 = access("/sys/fs/cgroup/memory", F_OK) != 0
        var directories: [String] {
            version2 ? [] : ["memory", "pids", "cpu"].map { "/sys/fs/cgroup/\($0)/\(name)" }
        }

        init() {
            for directory in directories { mkdir(directory, 0o755) }
        }

        func remove() {
            for directory in directories { rmdir(directory) }
        }
    }

    static let seccompPolicy = "ERRNO(1) { ptrace, mount, umount, unshare, setns, keyctl, bpf, add_key, request_key, "
        + "kexec_load, init_module, finit_module, delete_module, reboot, swapon, swapoff, pivot_root, "
        + "process_vm_readv, process_vm_writev, perf_event_open, userfaultfd } DEFAULT ALLOW"

    static func arguments(_ path: String, cgroups: Cgroups?) -> [String] {
        var arguments = [
            path, "-Mo", "--really_quiet", "-R", "/usr", "-R", "/lib", "-R", "/lib64", "-R", "/bin", "-R", "/dev/null",
            "--user", "1000:65534", "--group", "1000:65534", "--hostname", "brig", "-t", "10",
            "--cgroup_mem_max", String(256 << 20), "--cgroup_pids_max", "64", "--cgroup_cpu_ms_per_sec", "1000",
            "--seccomp_string", seccompPolicy,
        ]
        if let cgroups {
            if cgroups.version2 {
                arguments.append("--use_cgroupv2")
            } else {
                arguments += ["--cgroup_mem_parent", cgroups.name, "--cgroup_pids_parent", cgroups.name, "--cgroup_cpu_parent", cgroups.name]
            }
        }
        return arguments + ["--", "/bin/true"]
    }
}
