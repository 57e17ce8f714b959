import Catalog
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// Every language shipped in sandbox-images/host/languages, for real: its hello world is written to its source
/// file, compiled (if it is compiled) with the default profile's compile limits and run with its limits, in one
/// workspace, exactly as a job would be. Serialized so that the wall times printed are not two compilers sharing
/// the machine's cores.
@Suite(.serialized, .ownThread) struct LanguageHelloTests {
    static let imageDirectory = SandboxFixture.repositoryRoot.appendingPathComponent("sandbox-images/host").path
    static let profileFile = SandboxFixture.repositoryRoot.appendingPathComponent("profiles/default.toml").path

    /// The language files on disk, so that a newly added one is tested without touching this file.
    static let languageNames: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "\(imageDirectory)/languages")) ?? []
        return entries.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.map { String($0.dropLast(".toml".count)) }.sorted()
    }()

    @Test func everyLanguageFileLoads() throws {
        let image = try SandboxImage(directory: Self.imageDirectory)
        #expect(image.languageErrors == [])
        #expect(!Self.languageNames.isEmpty)
        #expect(image.languages.keys.sorted() == Self.languageNames)
    }

    @Test(arguments: languageNames)
    func helloWorldCompilesAndRuns(_ name: String) throws {
        let image = try SandboxImage(directory: Self.imageDirectory)
        let language = try #require(image.languages[name], "\(image.languageErrors)")
        let profile = try Profile(contentsOf: Self.profileFile)
        let environment = language.environment(over: image.environment)

        let launcher = try SandboxFixture.launcher()
        let lease = try launcher.leaseSlot()
        defer { lease.release() }
        let workspace = try launcher.makeWorkspace(for: lease, sizeBytes: profile.limits.workspaceBytes)
        defer { try? workspace.remove() }
        try workspace.write(language.sourceFile, Array(language.hello.source.utf8))

        var compileSummary = "interpreted"
        if let compile = language.compileCommand {
            var spec = SandboxSpec(command: compile, environment: environment, binds: image.binds, limits: profile.compileLimits)
            spec.workspace = workspace
            let compiled = launcher.run(spec)
            #expect(compiled.status == .ok, "compile: \(Self.describe(compiled))")
            try #require(compiled.status == .ok)
            compileSummary = "compile \(Self.summary(compiled))"
        }

        var spec = SandboxSpec(
            command: language.runCommand(arguments: []), environment: environment, binds: image.binds, limits: profile.limits)
        spec.workspace = workspace
        let ran = launcher.run(spec)
        #expect(ran.status == .ok, "run: \(Self.describe(ran))")
        #expect(ran.stdout.text == language.hello.stdout, "run: \(Self.describe(ran))")
        print("language \(name): \(compileSummary); run \(Self.summary(ran))")
    }

    @Test(arguments: languageNames)
    func versionProbePrintsAVersion(_ name: String) throws {
        let image = try SandboxImage(directory: Self.imageDirectory)
        let language = try #require(image.languages[name], "\(image.languageErrors)")
        let profile = try Profile(contentsOf: Self.profileFile)
        let spec = SandboxSpec(
            command: language.versionCommand, environment: language.environment(over: image.environment),
            binds: image.binds, limits: profile.limits)
        let probed = try SandboxFixture.launcher().run(spec)
        #expect(probed.status == .ok, "\(Self.describe(probed))")
        let version = Language.versionLine(stdout: probed.stdout.text, stderr: probed.stderr.text)
        #expect(version != nil, "\(Self.describe(probed))")
        print("language \(name): version \(version ?? "?") (probe \(Self.summary(probed)))")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.0fms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    static func summary(_ result: SandboxResult) -> String {
        let memory = result.memoryPeakBytes.map { "\($0 >> 20)MiB" } ?? "?"
        let pids = result.pidsPeak.map(String.init) ?? "?"
        return "wall \(milliseconds(result.wallTime)), cpu \(milliseconds(result.cpuUserTime + result.cpuSystemTime)), "
            + "memory \(memory), pids \(pids)"
    }

    static func describe(_ result: SandboxResult) -> String {
        var parts = ["status \(result.status)"]
        if let code = result.exitCode { parts.append("exit \(code)") }
        if let signal = result.signal { parts.append("signal \(signal)") }
        if let limit = result.timeoutLimit { parts.append("timeout \(limit)") }
        if let syscall = result.seccompSyscall { parts.append("seccomp \(syscall)") }
        if let failure = result.failure { parts.append("failure \(failure)") }
        if result.oomKilled { parts.append("oom") }
        if result.pidsLimitHit { parts.append("pids limit hit") }
        parts.append("stdout \(result.stdout.text.debugDescription)")
        parts.append("stderr \(String(result.stderr.text.prefix(2000)).debugDescription)")
        return parts.joined(separator: "; ")
    }
}
