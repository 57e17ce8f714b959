import Catalog
import Foundation
import Testing
@testable import Sandbox

/// One way to run sandboxes in tests: the real cgroup driver, the default seccomp policy and the shipped host
/// image, with a cgroup parent and runtime directory of the tests' own so that leak checks are scoped.
enum SandboxFixture {
    static let parent = "brig-test"
    static let runtimeDirectory = "/run/brig-test"
    static let environment = ["PATH": "/usr/bin:/bin", "HOME": "/work", "LANG": "C.UTF-8"]

    /// Quick limits for tests: failures end in seconds, not minutes.
    static let limits = SandboxLimits(
        wallTime: .seconds(10), cpuTime: .seconds(5), memoryBytes: 256 << 20, cpus: 1, pids: 64,
        outputBytes: 1 << 20, workspaceBytes: 16 << 20, tmpBytes: 16 << 20)

    /// Warm, the inits are cloned by the process's launch zygote, as in the daemon; cold, by the launching
    /// thread, as in `brig run`. `zygote` gives a zygote of the test's own.
    static func launcher(
        parent: String = parent, runtimeDirectory: String = runtimeDirectory,
        zygote: LaunchZygote? = warm ? LaunchZygote.shared : nil
    ) throws -> SandboxLauncher {
        let driver = try CgroupDetector.detect(parent: parent)
        let policy = try #require(SeccompPolicy.named("default"))
        return try SandboxLauncher(
            runtimeDirectory: runtimeDirectory, cgroups: driver, seccomp: try policy.compile(), zygote: zygote)
    }

    static func hostBinds() throws -> [ReadOnlyBind] {
        try SandboxImage(directory: repositoryRoot.appendingPathComponent("sandbox-images/host").path).binds
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func spec(_ command: [String], limits: SandboxLimits = limits, stdin: String = "") throws -> SandboxSpec {
        SandboxSpec(command: command, environment: environment, binds: try hostBinds(), limits: limits, stdin: Array(stdin.utf8))
    }

    /// Escapes are tried in a warm sandbox cloned by the launch zygote, the daemon's path
    /// (`SandboxLauncher.prepare` then `run(_:in:)`), unless BRIG_TEST_COLD is set: then from scratch by the
    /// launching thread, `brig run`'s path. CI runs the suite both ways.
    static var warm: Bool { ProcessInfo.processInfo.environment["BRIG_TEST_COLD"] == nil }

    static func run(_ command: [String], limits: SandboxLimits = limits, stdin: String = "") throws -> SandboxResult {
        let launcher = try launcher()
        let spec = try spec(command, limits: limits, stdin: stdin)
        guard warm else { return launcher.run(spec) }
        let sandbox = try launcher.prepare(SandboxShape(spec))
        defer { sandbox.close() }
        let result = launcher.run(spec, in: sandbox)
        #expect(sandbox.used, "the run took the warm sandbox")
        return result
    }

    static func shell(_ script: String, limits: SandboxLimits = limits, stdin: String = "") throws -> SandboxResult {
        try run(["/bin/sh", "-c", script], limits: limits, stdin: stdin)
    }

    static func python(_ code: String, limits: SandboxLimits = limits) throws -> SandboxResult {
        try run(["/usr/bin/python3", "-c", code], limits: limits)
    }

    /// Host processes whose cgroup path names `parent` (none may outlive a run).
    static func processes(inCgroupsNamed parent: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            let cgroups = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
            return cgroups.contains("/\(parent)/")
        }
    }

    /// Cgroup directories named `parent` in any hierarchy.
    static func cgroupDirectories(named parent: String) -> [String] {
        let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        return hierarchies.map { "/sys/fs/cgroup/\($0)/\(parent)" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Mount points under `directory`.
    static func mounts(under directory: String) -> [String] {
        let table = (FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readDataToEndOfFile()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && fields[4].hasPrefix(directory) ? String(fields[4]) : nil
        }
    }
}
