import CSeccomp

/// `AUDIT_ARCH_*` values (linux/audit.h), as the kernel reports them in `seccomp_data.arch` and libseccomp
/// takes them as architecture tokens. Spelled out because Swift does not import the header's composed macros.
public enum AuditArch {
    public static let x86_64: UInt32 = 0xC000_003E
    public static let i386: UInt32 = 0x4000_0003
    public static let aarch64: UInt32 = 0xC000_00B7
    public static let arm: UInt32 = 0x4000_0028

    /// The architecture of the processes brig runs (this build's).
    public static var native: UInt32 { seccomp_arch_native() }
}
