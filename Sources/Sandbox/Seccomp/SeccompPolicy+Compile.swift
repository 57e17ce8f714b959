import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

extension SeccompPolicy {
    /// The kernel refuses longer filters (BPF_MAXINSNS).
    static let maximumInstructionCount = 4096

    /// Compiles the policy to classic BPF for the native architecture with libseccomp. Done once per policy at
    /// start-up; the result is loaded by every launch as is.
    public func compile() throws(SandboxError) -> SeccompProgram {
        try checkConflicts()
        guard let context = seccomp_init(SCMP_ACT_ALLOW) else {
            throw SandboxError(.seccompFailed, "seccomp policy \"\(name)\": cannot create a filter",
                               stage: "seccomp_init")
        }
        defer { seccomp_release(context) }
        try blockForeignABIs(in: context)
        for rule in rules {
            try add(rule, to: context)
        }
        return try export(context)
    }

    /// libseccomp keeps the first of two rules that match the same calls and silently drops the other, so a
    /// policy where that would happen with different actions is refused instead.
    private func checkConflicts() throws(SandboxError) {
        for (index, rule) in rules.enumerated() {
            for earlier in rules[..<index] where earlier.syscall == rule.syscall && earlier.action != rule.action {
                let overlapping = earlier.conditions.isEmpty || rule.conditions.isEmpty
                    || Set(earlier.conditions) == Set(rule.conditions)
                if overlapping {
                    throw SandboxError(.seccompFailed,
                                       "seccomp policy \"\(name)\": rule \(rule) conflicts with rule \(earlier)",
                                       stage: "seccomp_rules")
                }
            }
        }
    }

    /// Calls of another ABI (i386 through `int $0x80`, x32 numbers with bit 0x40000000, which libseccomp 2.5
    /// sends to this same action) are reported like any blocked call, so the parent can name them. Where
    /// libseccomp refuses a notify action here, they kill the process instead: blocked either way.
    private func blockForeignABIs(in context: scmp_filter_ctx) throws(SandboxError) {
        if seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY) == 0 { return }
        let result = seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)
        guard result == 0 else {
            throw failure("seccomp_attr_set", result, "cannot block system calls of other architectures")
        }
    }

    private func add(_ rule: SeccompRule, to context: scmp_filter_ctx) throws(SandboxError) {
        guard let number = SyscallName.nativeNumber(of: rule.syscall) else { return }
        let comparisons = rule.conditions.map {
            scmp_arg_cmp(arg: $0.argument, op: SCMP_CMP_MASKED_EQ, datum_a: $0.mask, datum_b: $0.value)
        }
        let result = comparisons.withUnsafeBufferPointer {
            seccomp_rule_add_array(context, rule.action.libseccompAction, number, UInt32($0.count), $0.baseAddress)
        }
        guard result == 0 else {
            throw failure("seccomp_rule_add", result, "cannot add rule \(rule)")
        }
    }

    /// libseccomp 2.5 exports only to a file descriptor. Swift's Glibc hides memfd_create (a _GNU_SOURCE
    /// declaration), so the buffer is tmpfile(): an anonymous file (O_TMPFILE) that vanishes when closed.
    private func export(_ context: scmp_filter_ctx) throws(SandboxError) -> SeccompProgram {
        guard let file = tmpfile() else {
            throw SandboxError.system(.seccompFailed, stage: "tmpfile", errno: errno,
                                      "seccomp policy \"\(name)\": cannot create a buffer for the filter")
        }
        defer { fclose(file) }
        let fd = fileno(file)
        let result = seccomp_export_bpf(context, fd)
        guard result == 0 else {
            throw failure("seccomp_export_bpf", result, "cannot generate the filter")
        }
        let bytes = try readAll(fd)
        let program = SeccompProgram(bytes: bytes)
        guard !bytes.isEmpty, bytes.count % 8 == 0, program.instructionCount <= Self.maximumInstructionCount else {
            throw SandboxError(.seccompFailed,
                               "seccomp policy \"\(name)\": the filter has \(bytes.count) bytes, not 1 to "
                                   + "\(Self.maximumInstructionCount) instructions of 8",
                               stage: "seccomp_export_bpf")
        }
        return program
    }

    private func readAll(_ fd: Int32) throws(SandboxError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(bytes.count)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SandboxError.system(.seccompFailed, stage: "seccomp_export_read", errno: errno,
                                          "seccomp policy \"\(name)\": cannot read the generated filter back")
            }
            if got == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<got])
        }
    }

    /// libseccomp returns failures as negative errno values.
    private func failure(_ stage: String, _ result: Int32, _ message: String) -> SandboxError {
        SandboxError.system(.seccompFailed, stage: stage, errno: -result, "seccomp policy \"\(name)\": \(message)")
    }
}

extension SeccompAction {
    var libseccompAction: UInt32 {
        switch self {
        case .report: SCMP_ACT_NOTIFY
        // SCMP_ACT_ERRNO(x), a function-like macro Swift does not import.
        case .fail(let errno): 0x0005_0000 | (UInt32(truncatingIfNeeded: errno) & 0xFFFF)
        }
    }
}
