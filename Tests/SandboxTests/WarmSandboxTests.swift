import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// Warm sandboxes: prepared ahead of demand, handed a request, torn down without a trace. (Every escape test
/// also runs in a warm sandbox: see `SandboxFixture.run`.)
@Suite(.serialized, .ownThread) struct WarmSandboxTests {
    @Test func filesWrittenAfterPreparingAreSeenAndTheRequestIsPassedExactly() throws {
        let launcher = try SandboxFixture.launcher()
        var spec = try SandboxFixture.spec(["/bin/sh", "-c", #"cat /work/in.txt; printf '[%s]' "$@"; echo; env | sort; pwd"#, "sh", "a b", "", "c"])
        spec.environment = ["PATH": "/usr/bin:/bin", "ONLY": "this"]
        spec.workingDirectory = "/tmp"
        let sandbox = try launcher.prepare(SandboxShape(spec))
        defer { sandbox.close() }
        try sandbox.workspace.write("in.txt", Array("written after prepare\n".utf8))
        let result = launcher.run(spec, in: sandbox)
        #expect(sandbox.used)
        #expect(result.status == .ok, "\(result.failure.map { "\($0)" } ?? "")")
        let text = result.stdout.text
        #expect(text.hasPrefix("written after prepare\n[a b][][c]\nONLY=this\nPATH=/usr/bin:/bin\n"), "\(text)")
        #expect(text.hasSuffix("\n/tmp\n"))
        #expect(!text.contains("HOME="))
    }

    @Test func aSpecOfAnotherShapeRunsColdAndLeavesTheWarmSandboxUnused() throws {
        let launcher = try SandboxFixture.launcher()
        var limits = SandboxFixture.limits
        limits.memoryBytes = 128 << 20
        let sandbox = try launcher.prepare(SandboxShape(binds: try SandboxFixture.hostBinds(), limits: limits))
        defer { sandbox.close() }
        let result = launcher.run(try SandboxFixture.spec(["/bin/true"]), in: sandbox)
        #expect(result.status == .ok)
        #expect(!sandbox.used)
        // The limits a supervising parent enforces do not tell shapes apart.
        var longer = try SandboxFixture.spec(["/bin/true"], limits: limits)
        longer.limits.wallTime = .seconds(30)
        #expect(sandbox.accepts(longer))
    }

    /// `onStart` (the engine records a job as running there, while the program starts) comes once per run, warm
    /// or cold, before any output; a run that fails before its program exists never calls it.
    @Test func onStartComesOnceBeforeAnyOutputWarmOrCold() throws {
        let launcher = try SandboxFixture.launcher()
        let spec = try SandboxFixture.spec(["/bin/sh", "-c", "echo out"])
        let sandbox = try launcher.prepare(SandboxShape(spec))
        defer { sandbox.close() }
        for warm in [sandbox, nil] {
            var calls: [String] = []
            let result = launcher.run(spec, in: warm, onOutput: { _, _ in calls.append("output") }, onStart: { calls.append("start") })
            #expect(result.status == .ok)
            #expect(calls.first == "start" && calls.filter { $0 == "start" }.count == 1 && calls.contains("output"), "\(calls)")
        }
        #expect(sandbox.used)
        var starts = 0
        var broken = spec
        broken.workingDirectory = "relative"
        let refused = launcher.run(broken, onStart: { starts += 1 })
        #expect(refused.status == .internalError)
        #expect(starts == 0)
    }

    /// The wall time is the program's, from the request to its end; the setup a warm run adds is the pipe write.
    @Test func theWallTimeCoversTheProgramsRunAndTheSetupIsShort() throws {
        let launcher = try SandboxFixture.launcher()
        let spec = try SandboxFixture.spec(["/bin/sleep", "0.3"])
        let sandbox = try launcher.prepare(SandboxShape(spec))
        defer { sandbox.close() }
        let result = launcher.run(spec, in: sandbox)
        #expect(result.status == .ok)
        #expect(result.wallTime >= .milliseconds(300), "wall \(result.wallTime)")
        #expect(result.setupTime < .milliseconds(100), "setup \(result.setupTime)")
    }

    @Test func aMissingProgramIsReportedAndTheSandboxStillEnds() throws {
        let launcher = try SandboxFixture.launcher()
        let spec = try SandboxFixture.spec(["no-such-program"])
        let sandbox = try launcher.prepare(SandboxShape(spec))
        defer { sandbox.close() }
        let result = launcher.run(spec, in: sandbox)
        #expect(result.status == .internalError)
        #expect(result.failure?.stage == "execve")
    }

    /// A sandbox waiting for its request sleeps interruptibly: uninterruptible sleepers count in the host's load
    /// average, and an idle daemon's spares used to make a load of 1 each (init sat in vfork's wait until the
    /// program's execve).
    @Test func aWaitingSandboxAddsNothingToTheLoadAverage() throws {
        let launcher = try SandboxFixture.launcher()
        let sandbox = try launcher.prepare(SandboxShape(try SandboxFixture.spec(["/bin/true"])))
        defer { sandbox.close() }
        let initPID = sandbox.launch.pid
        let children = try String(contentsOfFile: "/proc/\(initPID)/task/\(initPID)/children", encoding: .utf8)
        let programPID = try #require(children.split(separator: " ").first.flatMap { Int32($0) }, "init has no program")
        var seen: [Character] = []
        for _ in 0..<20 {
            seen += [try #require(ProcessState.letter(initPID)), try #require(ProcessState.letter(programPID))]
            usleep(10_000)
        }
        #expect(!seen.contains("D"), "states seen: \(String(seen))")
        #expect(ProcessState.letter(initPID) == "S" && ProcessState.letter(programPID) == "S")
    }

    /// An emergency stop cancels a preparation under way: it fails at once and leaves nothing behind.
    @Test func aCancelledPreparationFailsAndLeavesNothing() throws {
        try Self.withOwnLauncher("warm-cancel") { launcher, parent, runtime in
            let signal = try CancellationSignal()
            signal.cancel()
            let shape = SandboxShape(try SandboxFixture.spec(["/bin/true"]))
            do throws(SandboxError) {
                let sandbox = try launcher.prepare(shape, cancellation: signal)
                sandbox.close()
                Issue.record("a cancelled preparation gave a sandbox")
            } catch {
                #expect(error.message.contains("cancelled"), "\(error)")
            }
            Self.expectNothingLeft(parent: parent, runtime: runtime)
        }
    }

    /// A launcher with a cgroup parent and a runtime directory of its own, so that what its sandboxes leave is
    /// visible; both are removed after `body`.
    static func withOwnLauncher(
        _ tag: String, _ body: (SandboxLauncher, _ parent: String, _ runtime: String) throws -> Void
    ) throws {
        let parent = "brig-test-\(tag)-\(getpid())"
        let runtime = "/run/brig-test-\(tag)-\(getpid())"
        let launcher = try SandboxFixture.launcher(parent: parent, runtimeDirectory: runtime)
        defer {
            for directory in SandboxFixture.cgroupDirectories(named: parent) { rmdir(directory) }
            try? FileManager.default.removeItem(atPath: runtime)
        }
        try body(launcher, parent, runtime)
    }

    /// No process, mount or sandbox cgroup left under `parent` and `runtime`.
    static func expectNothingLeft(parent: String, runtime: String) {
        #expect(SandboxFixture.processes(inCgroupsNamed: parent).isEmpty)
        #expect(SandboxFixture.mounts(under: runtime).isEmpty)
        let cgroups = SandboxFixture.cgroupDirectories(named: parent).flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("run-") }
        }
        #expect(cgroups.isEmpty, "cgroups left: \(cgroups)")
    }

    @Test func nothingOutlivesAWarmRunNorAnUnusedWarmSandbox() throws {
        try Self.withOwnLauncher("warm") { launcher, parent, runtime in
            // An orphan that would sleep on, and a stopped child: both gone when the result is back.
            let spec = try SandboxFixture.spec(["/bin/sh", "-c", "setsid sleep 100 & sleep 100 & kill -STOP $!; echo started"])
            let used = try launcher.prepare(SandboxShape(spec))
            let result = launcher.run(spec, in: used)
            #expect(result.status == .ok)
            #expect(result.stdout.text == "started\n")
            let left = SandboxFixture.processes(inCgroupsNamed: parent).filter { pid in
                let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
                return name.hasPrefix("sleep") || name.hasPrefix("sh")
            }
            #expect(left.isEmpty, "left running: \(left)")
            #expect(used.close() == nil)

            let unused = try launcher.prepare(SandboxShape(spec))
            #expect(!SandboxFixture.processes(inCgroupsNamed: parent).isEmpty, "the warm sandbox waits in its cgroup")
            #expect(unused.close() == nil)
            Self.expectNothingLeft(parent: parent, runtime: runtime)
        }
    }
}
