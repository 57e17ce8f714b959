// TEMPORARY placeholder until the seccomp branch lands.
public enum SyscallName {
    public static func describe(number: Int32, arch: UInt32) -> String { "syscall \(number)" }
}
