#if canImport(Glibc)
import Glibc
#endif
import Sandbox
import TestSupport
import Testing

/// The default policy loaded into the real kernel, against real attempts. Each escape attempt must be
/// reported by the filter (the parent gets its name, then kills the process before the call returns), and
/// each ordinary operation must still work.
@Suite("SeccompKernel", .ownThread)
struct SeccompKernelTests {
    private func harness() throws -> SeccompHarness {
        try SeccompHarness.shared.get()
    }

    @Test("escape attempts are reported by name and never return", arguments: [
        ("ptrace", "ptrace"),
        ("mount", "mount"),
        ("unshare", "unshare"),
        ("keyctl", "keyctl"),
        ("bpf", "bpf"),
        ("clone_newuser", "clone"),
        ("tiocsti", "ioctl"),
        ("tiocsti_high", "ioctl"),  // request with high bits set: the kernel still reads TIOCSTI
        ("tioclinux", "ioctl"),
    ])
    func reported(attempt: String, syscall: String) throws {
        let outcome = try harness().attempt(attempt)
        #expect(outcome.notified?.description == syscall, "\(outcome)")
        #expect(outcome.returned == nil, "\(outcome)")
        #expect(outcome.signal == SIGKILL, "\(outcome)")
    }

    /// i386 calls (`int $0x80`) and x32 numbers go to the bad-arch action: reported with their ABI, or the
    /// process is killed where libseccomp cannot notify there. Either way the call must not run.
    @Test("system calls of other ABIs are blocked", arguments: [
        ("i386_getpid", "getpid (i386)"),
        ("x32_getpid", "getpid (x32)"),
    ])
    func foreignABI(attempt: String, syscall: String) throws {
        let outcome = try harness().attempt(attempt)
        #expect(outcome.returned == nil, "\(outcome)")
        if let notified = outcome.notified {
            #expect(notified.description == syscall, "\(outcome)")
            #expect(outcome.signal == SIGKILL, "\(outcome)")
        } else {
            #expect(outcome.signal == SIGSYS, "\(outcome)")
        }
    }

    @Test("clone3 fails with ENOSYS, without a report")
    func clone3() throws {
        let outcome = try harness().attempt("clone3")
        #expect(outcome.notified == nil, "\(outcome)")
        #expect(outcome.returned?.value == -1, "\(outcome)")
        #expect(outcome.returned?.errno == ENOSYS, "\(outcome)")
        #expect(outcome.exitStatus == 0, "\(outcome)")
    }

    @Test("ordinary calls still work", arguments: ["getpid", "fork", "thread", "tcgets", "read_hostname"])
    func allowed(attempt: String) throws {
        let outcome = try harness().attempt(attempt)
        #expect(outcome.notified == nil, "\(outcome)")
        #expect(outcome.exitStatus == 0, "\(outcome)")
        let returned = try #require(outcome.returned, "\(outcome)")
        switch attempt {
        case "getpid": #expect(returned.value == Int(returned.pid), "\(outcome)")
        case "fork", "read_hostname": #expect(returned.value > 0, "\(outcome)")
        default: #expect(returned.value == 0, "\(outcome)")
        }
    }
}

/// Real runtimes under the default policy: none may be reported (a report kills the job), including the
/// calls they probe and must see fail instead (clone3 for threads; io_uring_setup in libuv when enabled).
@Suite("SeccompRuntimes", .ownThread)
struct SeccompRuntimeTests {
    static let commands: [[String]] = [
        ["/usr/bin/node", "-e", "require('fs').promises.readFile('/etc/hostname')"
            + ".then(() => require('child_process').execFileSync('true'))"],
        ["/usr/bin/env", "UV_USE_IO_URING=1", "/usr/bin/node", "-e",
         "require('fs').readFile('/etc/hostname', (error) => { if (error) process.exit(1) })"],
        ["/usr/bin/python3", "-c",
         "import subprocess, threading; t = threading.Thread(target=subprocess.run, args=(['true'],), "
            + "kwargs={'check': True}); t.start(); t.join()"],
        ["/usr/bin/java", "-version"],
        ["/usr/bin/perl", "-e", "system('true') == 0 or die"],
        ["/bin/bash", "-c", "x=$(echo a | cat); test \"$x\" = a"],
        ["/usr/bin/gcc", "-x", "c", "-c", "-o", "/dev/null", "/dev/null"],
    ].filter { access($0[0], X_OK) == 0 && ($0[0] != "/usr/bin/env" || access($0[2], X_OK) == 0) }

    @Test("runtimes run to a clean exit", arguments: commands)
    func runs(command: [String]) throws {
        let outcome = try SeccompHarness.shared.get().attempt("exec", command: command)
        #expect(outcome.notified == nil, "\(outcome)")
        #expect(outcome.returned == nil, "exec failed: \(outcome)")
        #expect(outcome.exitStatus == 0, "\(outcome)")
    }
}
