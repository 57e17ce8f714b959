import TestSupport
import Testing
@testable import Sandbox

/// System calls untrusted code never needs end the run, and the result names them.
@Suite(.ownThread) struct SeccompEscapeTests {
    struct Attempt: Sendable, CustomTestStringConvertible {
        let syscall: String
        let python: String
        var testDescription: String { syscall }
    }

    static let attempts = [
        Attempt(syscall: "ptrace", python: "libc.ptrace(0, 0, 0, 0)"),
        Attempt(syscall: "mount", python: "libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)"),
        Attempt(syscall: "unshare", python: "libc.unshare(0x10000000)"),
        Attempt(syscall: "keyctl", python: "libc.syscall(250, 0, 0, 0, 0, 0)"),
        Attempt(syscall: "bpf", python: "libc.syscall(321, 0, 0, 0)"),
        Attempt(syscall: "ioctl", python: "import fcntl, termios; fcntl.ioctl(0, termios.TIOCSTI, b'x')"),
        Attempt(syscall: "clone", python: "libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)"),
    ]

    @Test(arguments: attempts)
    func forbiddenSyscallEndsTheRunAndIsNamed(attempt: Attempt) throws {
        let result = try SandboxFixture.python("""
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            \(attempt.python)
            print("survived")
            """)
        #expect(result.status == .seccomp, "\(result.status) \(result.stderr.text)")
        #expect(result.seccompSyscall == attempt.syscall)
        #expect(!result.stdout.text.contains("survived"))
    }

    @Test func ordinaryProgramsAreNotDisturbed() throws {
        let result = try SandboxFixture.python("""
            import subprocess, threading, os
            t = threading.Thread(target=lambda: None); t.start(); t.join()
            print(subprocess.run(['echo', 'child'], capture_output=True, text=True).stdout.strip(), os.getpid() > 0)
            """)
        #expect(result.status == .ok, "\(result.stderr.text)")
        #expect(result.stdout.text == "child True\n")
    }
}
