#if canImport(Glibc)
import Glibc
#endif

extension SeccompPolicy {
    /// What untrusted code never needs: changing the filesystem tree, namespaces, other processes' memory,
    /// the kernel itself (modules, BPF, keyrings, I/O ports), and typing into a terminal. Everything else is
    /// allowed; the sandbox's namespaces, ids, capabilities and cgroups do the rest.
    ///
    /// Checked with strace against ordinary runs of node 20, python3, java 17, perl, bash and gcc: none calls
    /// a `report` syscall. clone3 and io_uring_setup are probed by runtimes and so only fail (see below).
    public static let `default` = SeccompPolicy(
        name: "default",
        rules: reported(mountAndRoot + namespaces + otherProcesses + kernel + io) + cloneWithNamespaces
            + [
                // Every thread start in glibc (node, java, python threads) tries clone3 first. Its flags live in
                // memory that BPF cannot read, so it cannot be checked; ENOSYS makes glibc fall back to clone,
                // whose flags are checked below.
                SeccompRule("clone3", .fail(ENOSYS)),
                // libuv (node) probes io_uring at start when UV_USE_IO_URING=1, and by default in node 20.3 to
                // 20.10, and falls back to its thread pool when the probe fails: a report here would kill every
                // such job. ENOSYS is what a kernel without io_uring answers. Without a ring, io_uring_enter and
                // io_uring_register have nothing to act on, so calling them is reported.
                SeccompRule("io_uring_setup", .fail(ENOSYS)),
                SeccompRule("io_uring_enter", .report),
                SeccompRule("io_uring_register", .report),
            ]
            + terminalInjection
    )

    private static let mountAndRoot = [
        "mount", "umount2", "pivot_root", "chroot",
        "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
        "open_by_handle_at", "name_to_handle_at",  // open any inode by handle, bypassing the mount tree
        "swapon", "swapoff", "quotactl", "quotactl_fd", "acct",
    ]
    private static let namespaces = ["unshare", "setns"]
    private static let otherProcesses = ["ptrace", "process_vm_readv", "process_vm_writev"]
    private static let kernel = [
        "kexec_load", "kexec_file_load", "reboot",
        "init_module", "finit_module", "delete_module",
        "bpf", "perf_event_open", "userfaultfd",
        "keyctl", "add_key", "request_key",  // keyrings are not namespaced by the pid or mount namespace
    ]
    private static let io = ["iopl", "ioperm"]

    private static func reported(_ syscalls: [String]) -> [SeccompRule] {
        syscalls.map { SeccompRule($0, .report) }
    }

    // Kernel ABI values (include/uapi/linux/sched.h), spelled out because not every libc exports them all.
    // On x86_64 clone's flags are argument 0. In clone (unlike clone3) the low byte is the exit signal, so
    // CLONE_NEWTIME (0x80) there is an invalid signal number no real program passes.
    private static let namespaceFlags: [(name: String, flag: UInt64)] = [
        ("CLONE_NEWTIME", 0x0000_0080),
        ("CLONE_NEWNS", 0x0002_0000),
        ("CLONE_NEWCGROUP", 0x0200_0000),
        ("CLONE_NEWUTS", 0x0400_0000),
        ("CLONE_NEWIPC", 0x0800_0000),
        ("CLONE_NEWUSER", 0x1000_0000),
        ("CLONE_NEWPID", 0x2000_0000),
        ("CLONE_NEWNET", 0x4000_0000),
    ]

    /// BPF compares have no "any of these bits", so each flag gets its own rule.
    private static let cloneWithNamespaces = namespaceFlags.map {
        SeccompRule("clone", .report, when: [.argument(0, hasFlag: $0.flag)])
    }

    /// TIOCSTI pushes input into a terminal's queue, to be read by whoever reads it next (a shell outside
    /// the sandbox, if one shares the terminal); TIOCLINUX can do the same through a virtual console's
    /// selection. The kernel reads ioctl's request as 32 bits, so only those are compared.
    private static let terminalInjection = [UInt32(TIOCSTI), UInt32(TIOCLINUX)].map {
        SeccompRule("ioctl", .report, when: [.argument(1, low32BitsEqual: $0)])
    }
}
