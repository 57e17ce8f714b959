import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// The sandbox sees the image read-only, its own /tmp and /work, and nothing else of the host.
@Suite(.ownThread) struct FilesystemEscapeTests {
    @Test(arguments: ["/usr/bin/brig-escape", "/etc/brig-escape", "/brig-escape", "/bin/brig-escape",
                      "/lib/brig-escape", "/dev/brig-escape", "/dev/shm/../brig-escape", "/etc/passwd",
                      "/etc/hostname", "/proc/sys/kernel/hostname", "/proc/sysrq-trigger"])
    func cannotWriteReadOnlyPaths(path: String) throws {
        let result = try SandboxFixture.shell("echo x > \(path) && echo WROTE || echo refused")
        #expect(result.stdout.text == "refused\n", "\(path): \(result.stdout.text) \(result.stderr.text)")
    }

    @Test(arguments: ["/root", "/etc/shadow", "/home", "/sys", "/sys/fs/cgroup", "/run", "/var", "/opt/swift-packages",
                      SandboxFixture.runtimeDirectory, "/proc/1/root/root", "/proc/kcore/x"])
    func cannotReadHostPaths(path: String) throws {
        let result = try SandboxFixture.shell("ls -d \(path) 2>/dev/null && echo VISIBLE || echo absent")
        #expect(result.stdout.text == "absent\n", "\(path): \(result.stdout.text)")
    }

    @Test func cannotSeeTheHostTmp() throws {
        let marker = "/tmp/brig-test-marker-\(getpid())"
        #expect(FileManager.default.createFile(atPath: marker, contents: Data("secret".utf8)))
        defer { unlink(marker) }
        let result = try SandboxFixture.shell("ls -A /tmp; cat \(marker) 2>/dev/null || echo absent")
        #expect(result.stdout.text == "absent\n")
    }

    @Test func writesWorkAndTmpButOnlyUpToTheirSize() throws {
        var limits = SandboxFixture.limits
        limits.workspaceBytes = 4 << 20
        let result = try SandboxFixture.shell("""
            echo ok > /work/a && echo ok > /tmp/b && cat /work/a /tmp/b
            head -c 8000000 /dev/zero > /work/big 2>/dev/null || echo workspace-full
            """, limits: limits)
        #expect(result.status == .ok)
        #expect(result.stdout.text == "ok\nok\nworkspace-full\n")
    }

    /// A run given no workspace (`brig run`'s) mounts its /work inside its own mount namespace: sized, the sandbox
    /// user's, and never on the host, so there is nothing to unmount after it, or to leave behind if brig dies.
    @Test func aRunWithoutAWorkspaceHasAWorkOfItsOwnAndNoneOnTheHost() throws {
        let runtimeDirectory = "\(SandboxFixture.runtimeDirectory)-private-work-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: runtimeDirectory) }
        let launcher = try SandboxFixture.launcher(runtimeDirectory: runtimeDirectory)
        var limits = SandboxFixture.limits
        limits.workspaceBytes = 4 << 20
        let spec = try SandboxFixture.spec(["/bin/sh", "-c", """
            stat -c '%u %a' /work; grep -c ' /work ' /proc/self/mountinfo
            echo ok > /work/a && cat /work/a
            head -c 8000000 /dev/zero > /work/big 2>/dev/null || echo workspace-full
            """], limits: limits)
        var hostMountsDuringTheRun: [String]?
        let result = launcher.run(spec, onStart: { hostMountsDuringTheRun = SandboxFixture.mounts(under: runtimeDirectory) })
        #expect(result.status == .ok, "\(result.stderr.text)")
        #expect(result.stdout.text == "\(SandboxIdentity.insideID) 755\n1\nok\nworkspace-full\n")
        #expect(hostMountsDuringTheRun == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: launcher.workDirectory) == [])
    }

    @Test func mountTableHoldsOnlyTheSandboxRoot() throws {
        let result = try SandboxFixture.shell("cut -d' ' -f5 /proc/self/mountinfo")
        let mountPoints = Set(result.stdout.text.split(separator: "\n").map(String.init))
        #expect(mountPoints.contains("/work"))
        #expect(!mountPoints.contains { $0.hasPrefix("/sys") || $0.hasPrefix("/root") || $0.hasPrefix("/home") || $0.hasPrefix("/run") })
    }
}
