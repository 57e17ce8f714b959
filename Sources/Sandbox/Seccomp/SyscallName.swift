import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

/// A system call as the kernel reported it (number and audit architecture), named for people: "ptrace",
/// "ptrace (i386)", "getpid (x32)", or "syscall 999" when libseccomp knows no name for it.
public struct SyscallName: Sendable, Equatable, CustomStringConvertible {
    public let number: Int32
    /// The `AUDIT_ARCH_*` value from `seccomp_data.arch`.
    public let arch: UInt32
    /// libseccomp's name for the call, nil when it has none.
    public let name: String?
    /// The ABI the call was made through when it is not the native one ("i386", "x32").
    public let abi: String?

    /// x32 calls arrive as x86_64 calls with this bit set in the number.
    static let x32SyscallBit: Int32 = 0x4000_0000
    /// libseccomp's token for x32 (`SCMP_ARCH_X32`), which the kernel never reports.
    static let x32Token: UInt32 = 0x4000_003E

    public init(number: Int32, arch: UInt32) {
        self.number = number
        self.arch = arch
        let isX32 = arch == AuditArch.x86_64 && number >= 0 && number & Self.x32SyscallBit != 0
        let token = isX32 ? Self.x32Token : arch
        if let resolved = seccomp_syscall_resolve_num_arch(token, number) {
            name = String(cString: resolved)
            free(resolved)
        } else {
            name = nil
        }
        abi = token == AuditArch.native ? nil : Self.abiName(token)
    }

    public var description: String {
        let base = name ?? "syscall \(number)"
        guard let abi else { return base }
        return "\(base) (\(abi))"
    }

    /// The number of the call named `name` on the native architecture, nil when it has no such call.
    public static func nativeNumber(of name: String) -> Int32? {
        // Negative results are libseccomp's "no such call" and its pseudo-numbers for calls of other arches.
        let number = seccomp_syscall_resolve_name(name)
        return number >= 0 ? number : nil
    }

    private static func abiName(_ token: UInt32) -> String {
        switch token {
        case AuditArch.i386: "i386"
        case AuditArch.x86_64: "x86_64"
        case x32Token: "x32"
        case AuditArch.arm: "arm"
        case AuditArch.aarch64: "aarch64"
        default: "arch 0x" + String(token, radix: 16)
        }
    }
}
