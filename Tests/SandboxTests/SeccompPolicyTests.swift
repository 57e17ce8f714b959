#if canImport(Glibc)
import Glibc
#endif
import Sandbox
import TestSupport
import Testing

@Suite("SeccompPolicy", .ownThread)
struct SeccompPolicyTests {
    @Test("the default policy compiles to a stable, plausible program")
    func defaultCompiles() throws {
        let first = try SeccompPolicy.default.compile()
        let second = try SeccompPolicy.default.compile()
        #expect(first == second)
        #expect(first.bytes.count % 8 == 0)
        #expect(first.instructionCount > 20)
        #expect(first.instructionCount <= 4096)
    }

    @Test("policies are found by name, unknown names are not")
    func lookup() {
        #expect(SeccompPolicy.named("default") == SeccompPolicy.default)
        #expect(SeccompPolicy.named("Default") == nil)
        #expect(SeccompPolicy.named("nonexistent") == nil)
    }

    /// A misspelt name would be skipped silently as "unknown on this architecture".
    @Test("every syscall the default policy names exists on x86_64", .enabled(if: AuditArch.native == AuditArch.x86_64))
    func namesExist() {
        let unknown = SeccompPolicy.default.rules.map(\.syscall).filter { SyscallName.nativeNumber(of: $0) == nil }
        #expect(unknown.isEmpty)
    }

    @Test("the default policy reports every call untrusted code never needs")
    func reportedSet() {
        let expected: Set = [
            "mount", "umount2", "pivot_root", "chroot", "ptrace", "process_vm_readv", "process_vm_writev",
            "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "bpf",
            "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "unshare", "setns",
            "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "swapon", "swapoff", "reboot", "acct",
            "quotactl", "quotactl_fd", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
            "mount_setattr", "io_uring_enter", "io_uring_register",
        ]
        let unconditional = SeccompPolicy.default.rules.filter { $0.conditions.isEmpty && $0.action == .report }
        #expect(Set(unconditional.map(\.syscall)) == expected)
        let failing = SeccompPolicy.default.rules.filter { $0.action != .report }
        #expect(Set(failing.map(\.syscall)) == ["clone3", "io_uring_setup"])
        #expect(failing.allSatisfy { $0.action == .fail(ENOSYS) && $0.conditions.isEmpty })
    }

    @Test("clone is reported for each namespace flag, ioctl for TIOCSTI and TIOCLINUX on 32 bits")
    func conditionalRules() {
        let clone = SeccompPolicy.default.rules.filter { $0.syscall == "clone" }
        let flags = clone.flatMap(\.conditions).map(\.mask)
        #expect(Set(flags) == [
            0x80, 0x2_0000, 0x200_0000, 0x400_0000, 0x800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000,
        ])
        #expect(clone.allSatisfy { $0.action == .report && $0.conditions.count == 1 })
        #expect(clone.flatMap(\.conditions).allSatisfy { $0.argument == 0 && $0.value == $0.mask })
        let ioctl = SeccompPolicy.default.rules.filter { $0.syscall == "ioctl" }
        #expect(Set(ioctl.flatMap(\.conditions)) == [
            SeccompCondition(argument: 1, mask: 0xFFFF_FFFF, value: 0x5412),
            SeccompCondition(argument: 1, mask: 0xFFFF_FFFF, value: 0x541C),
        ])
    }

    @Test("a syscall unknown on this architecture is skipped")
    func unknownSkipped() throws {
        let known = SeccompPolicy(name: "known", rules: [SeccompRule("ptrace", .report)])
        let withUnknown = SeccompPolicy(name: "with-unknown", rules: [
            SeccompRule("ptrace", .report), SeccompRule("no_such_syscall", .report), SeccompRule("socketcall", .report),
        ])
        #expect(try withUnknown.compile() == known.compile())
    }

    /// libseccomp would keep the first and silently drop the second.
    @Test("rules matching the same calls with different actions are refused", arguments: [
        [SeccompRule("ptrace", .report), SeccompRule("ptrace", .fail(EPERM))],
        [SeccompRule("clone", .report, when: [.argument(0, hasFlag: 0x1000_0000)]), SeccompRule("clone", .fail(EPERM))],
        [
            SeccompRule("ioctl", .report, when: [.argument(1, low32BitsEqual: 0x5412)]),
            SeccompRule("ioctl", .fail(EPERM), when: [.argument(1, low32BitsEqual: 0x5412)]),
        ],
    ])
    func conflictingRules(rules: [SeccompRule]) {
        let policy = SeccompPolicy(name: "conflicting", rules: rules)
        let error = #expect(throws: SandboxError.self) { try policy.compile() }
        #expect(error?.code == .seccompFailed)
        #expect(error?.stage == "seccomp_rules")
        #expect(error?.message.contains("\"conflicting\"") == true)
        #expect(error?.message.contains("rule \(rules[1]) conflicts with rule \(rules[0])") == true)
    }

    @Test("rules with different conditions or the same action do not conflict")
    func compatibleRules() throws {
        let policy = SeccompPolicy(name: "compatible", rules: [
            SeccompRule("ioctl", .report, when: [.argument(1, low32BitsEqual: 0x5412)]),
            SeccompRule("ioctl", .fail(EPERM), when: [.argument(1, low32BitsEqual: 0x541C)]),
            SeccompRule("ptrace", .report), SeccompRule("ptrace", .report),
        ])
        #expect(try policy.compile().instructionCount > 5)
    }

    @Test("a rule libseccomp refuses fails the compilation, naming the policy, the rule and the step")
    func refusedRule() {
        let policy = SeccompPolicy(name: "bad", rules: [
            SeccompRule("ioctl", .report, when: [SeccompCondition(argument: 6, mask: 1, value: 1)]),
        ])
        let error = #expect(throws: SandboxError.self) { try policy.compile() }
        #expect(error?.code == .seccompFailed)
        #expect(error?.stage == "seccomp_rule_add")
        #expect(error?.errno == EINVAL)
        #expect(error?.message.contains("\"bad\"") == true)
        #expect(error?.message.contains("ioctl if arg6 & 0x1 == 0x1 -> report") == true)
    }
}
