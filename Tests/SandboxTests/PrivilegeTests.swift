import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// No capability, no way to gain one.
@Suite(.ownThread) struct PrivilegeTests {
    @Test func everyCapabilityIsGoneAndNoNewPrivsIsSet() throws {
        let result = try SandboxFixture.shell("grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status")
        #expect(result.status == .ok)
        var fields: [String: String] = [:]
        for line in result.stdout.text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        for capability in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            #expect(fields[capability] == "0000000000000000", "\(capability) = \(fields[capability] ?? "missing")")
        }
        #expect(fields["NoNewPrivs"] == "1")
        #expect(fields["Seccomp"] == "2")
    }

    @Test func setuidRootBinaryInWorkGainsNothing() throws {
        let launcher = try SandboxFixture.launcher()
        let lease = try launcher.leaseSlot()
        defer { lease.release() }
        let workspace = try launcher.makeWorkspace(for: lease, sizeBytes: 16 << 20)
        defer { try? workspace.remove() }
        let source = workspace.path + "/escalate.c"
        try """
            #include <stdio.h>
            #include <unistd.h>
            int main(void) {
                printf("euid=%d\\n", (int)geteuid());
                printf("setuid=%d\\n", setuid(0));
                return 0;
            }
            """.write(toFile: source, atomically: false, encoding: .utf8)
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/gcc")
        compiler.arguments = ["-o", workspace.path + "/escalate", source]
        try compiler.run()
        compiler.waitUntilExit()
        try #require(compiler.terminationStatus == 0)
        // Owned by host root with the setuid bit, as an attacker would wish.
        #expect(chown(workspace.path + "/escalate", 0, 0) == 0)
        #expect(chmod(workspace.path + "/escalate", 0o4755) == 0)

        var spec = try SandboxFixture.spec(["/work/escalate"])
        spec.workspace = workspace
        let result = launcher.run(spec)
        #expect(result.status == .ok, "\(result.failure?.description ?? "") \(result.stderr.text)")
        #expect(result.stdout.text == "euid=1000\nsetuid=-1\n")
    }

    @Test func onlyStandardStreamsAreOpen() throws {
        let result = try SandboxFixture.python("import os; print(sorted(int(fd) for fd in os.listdir('/proc/self/fd')))")
        #expect(result.status == .ok)
        // 0, 1 and 2, and the descriptor listdir itself holds on /proc/self/fd.
        #expect(result.stdout.text == "[0, 1, 2, 3]\n")
    }

    @Test func environmentIsExactlyTheSpecs() throws {
        let result = try SandboxFixture.run(["/usr/bin/env"])
        #expect(result.status == .ok)
        let lines = Set(result.stdout.text.split(separator: "\n").map(String.init))
        #expect(lines == Set(SandboxFixture.environment.map { "\($0.key)=\($0.value)" }))
    }

    @Test func rlimitsAreApplied() throws {
        var limits = SandboxFixture.limits
        limits.openFiles = 77
        limits.fileSizeBytes = 1 << 20
        limits.stackBytes = 4 << 20
        let result = try SandboxFixture.run(["/bin/bash", "-c", "ulimit -n; ulimit -c; ulimit -f; ulimit -s; head -c 2000000 /dev/zero > /work/big; echo $?"], limits: limits)
        // ulimit -f and -s count 1024-byte blocks; writing past RLIMIT_FSIZE is SIGXFSZ (exit 128+25 in bash).
        #expect(result.stdout.text == "77\n0\n1024\n4096\n153\n", "\(result.stdout.text) \(result.stderr.text)")
    }
}
