import Sandbox
import TestSupport
import Testing

@Suite("SeccompSyscallName", .ownThread)
struct SeccompSyscallNameTests {
    @Test("numbers and architectures are named", arguments: [
        (101, AuditArch.x86_64, "ptrace"),
        (59, AuditArch.x86_64, "execve"),
        (435, AuditArch.x86_64, "clone3"),
        (26, AuditArch.i386, "ptrace (i386)"),
        (20, AuditArch.i386, "getpid (i386)"),
        (0x4000_0000 | 39, AuditArch.x86_64, "getpid (x32)"),
        (999, AuditArch.x86_64, "syscall 999"),
        (9999, AuditArch.i386, "syscall 9999 (i386)"),
        (101, 0x1234_5678, "syscall 101 (arch 0x12345678)"),
    ] as [(Int32, UInt32, String)])
    func name(number: Int32, arch: UInt32, expected: String) {
        #expect(SyscallName(number: number, arch: arch).description == expected)
    }

    @Test("the native architecture is this build's", .enabled(if: AuditArch.native == AuditArch.x86_64))
    func native() {
        #expect(SyscallName(number: 101, arch: AuditArch.native).abi == nil)
        #expect(SyscallName.nativeNumber(of: "ptrace") == 101)
        #expect(SyscallName.nativeNumber(of: "no_such_syscall") == nil)
        #expect(SyscallName.nativeNumber(of: "socketcall") == nil)  // i386 only: a libseccomp pseudo-number here
    }

    @Test("the native audit arch is x86_64 on x86_64")
    func nativeArch() {
        #if arch(x86_64)
        #expect(AuditArch.native == AuditArch.x86_64)
        #else
        #expect(AuditArch.native != AuditArch.x86_64)
        #endif
    }
}
