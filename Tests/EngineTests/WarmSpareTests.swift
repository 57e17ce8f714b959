import API
@testable import Engine
import Foundation
import Sandbox
import Synchronization
import TestSupport
import Testing

/// A worker's spare sandbox on real sandboxes: prepared on the spare's own thread, handed over ready, closed
/// off the worker, discarded on demand, and nothing left when it stops.
@Suite(.serialized, .ownThread) struct WarmSpareTests {
    /// The sandboxes a spare prepared, and the threads it prepared them on.
    final class Prepared: Sendable {
        let sandboxes = Mutex<[WarmSandbox]>([])
        /// The preparing threads.
        let threads = Mutex<Set<pthread_t>>([])
        var count: Int { sandboxes.withLock { $0.count } }
        var all: [WarmSandbox] { sandboxes.withLock { $0 } }
    }

    /// A spare over `engine`'s launcher that records what it prepares.
    static func spare(_ engine: JobEngine, _ prepared: Prepared, answerAllowance: TimeInterval = 0.001) -> WarmSpare {
        WarmSpare(name: "brig-spare-test", answerAllowance: answerAllowance) { shape, cancellation in
            prepared.threads.withLock { _ = $0.insert(pthread_self()) }
            guard let sandbox = try? engine.launcher.prepare(shape, cancellation: cancellation) else { return nil }
            prepared.sandboxes.withLock { $0.append(sandbox) }
            return sandbox
        }
    }

    static func job(_ engine: JobEngine, _ source: String, memory: String? = nil) throws -> PreparedJob {
        try engine.prepare(
            JobRequest(language: "bash", source: source, limits: RequestedLimits(memory: memory)), id: "job-\(UUID())",
            owner: 0)
    }

    static func spec(_ engine: JobEngine, _ job: PreparedJob, in warm: WarmSandbox) throws -> SandboxSpec {
        let language = try #require(job.language)
        return engine.spec(
            job, language: language, command: language.runCommand(arguments: []), limits: job.limits, stdin: [],
            workspace: warm.workspace)
    }

    /// Polls (counting looks, not the clock) until `condition` holds.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    static func isClosed(_ sandbox: WarmSandbox) -> Bool {
        !FileManager.default.fileExists(atPath: sandbox.workspace.path)
    }

    @Test func theSpareIsPreparedOffTheWorkerAndTheNextOneWhenTheJobIsHandedBack() throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine(start: false)
        let prepared = Prepared()
        let spare = Self.spare(engine, prepared)
        defer { spare.stop() }
        let job = try Self.job(engine, "echo $((6 * 7))")
        let shape = engine.runShape(job)

        let first = try #require(spare.take(shape))
        #expect(!first.used && first.shape == shape)
        #expect(prepared.threads.withLock { $0.count == 1 && !$0.contains(pthread_self()) }, "prepared on the spare's own thread")
        for file in job.files { try first.workspace.write(file.path, file.bytes) }
        let result = engine.launcher.run(try Self.spec(engine, job, in: first), in: first)
        #expect(first.used)
        #expect(result.status == .ok && result.stdout.text == "42\n", "\(result)")
        // One sandbox per worker at a time: none is prepared while this one is in use.
        usleep(300_000)
        #expect(prepared.count == 1)
        spare.retire(first)
        #expect(Self.eventually { prepared.count == 2 }, "the next one is prepared once the used one is back")
        #expect(Self.eventually { Self.isClosed(first) }, "the used sandbox is closed by the spare's thread")
        let second = try #require(spare.take(shape))
        #expect(second !== first && !second.used)
        #expect(prepared.all.count == 2 && prepared.all[1] === second)
        spare.retire(second)
    }

    @Test(.timeLimit(.minutes(1))) func aJobAskingForTheSpareEndsTheAnswerAllowanceAndStopDoesNotWaitForIt() throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine(start: false)
        let prepared = Prepared()
        // An allowance no test outlives: whatever happens before it ends happened because something ended it.
        let spare = Self.spare(engine, prepared, answerAllowance: 3600)
        let shape = engine.runShape(try Self.job(engine, "true"))
        let first = try #require(spare.take(shape))
        spare.retire(first)
        usleep(300_000)
        #expect(prepared.count == 1, "nothing is prepared while the job's answer may still be going out")
        #expect(!Self.isClosed(first), "nor is the used sandbox closed")
        let second = try #require(spare.take(shape), "a job asking for the spare does not wait out the allowance")
        #expect(prepared.count == 2 && prepared.all[1] === second && !second.used)
        #expect(Self.eventually { Self.isClosed(first) }, "and the used one is closed after it")
        spare.retire(second)
        spare.stop()  // within the allowance: stopping ends it too (else this test runs out of time)
        for sandbox in prepared.all {
            #expect(Self.isClosed(sandbox), "\(sandbox.workspace.path) left after stop")
        }
    }

    @Test func aNewShapeReplacesTheSpareAndStopLeavesNothing() throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine(start: false)
        let prepared = Prepared()
        let spare = Self.spare(engine, prepared)
        let small = engine.runShape(try Self.job(engine, "true", memory: "64MiB"))
        let large = engine.runShape(try Self.job(engine, "true", memory: "128MiB"))
        #expect(small != large)

        let a = try #require(spare.take(small))
        spare.retire(a)
        #expect(Self.eventually { prepared.count == 2 })  // the next small one
        let b = try #require(spare.take(large))
        #expect(b.shape == large)
        #expect(Self.eventually { Self.isClosed(prepared.all[1]) }, "the unused spare of the old shape is closed")
        spare.retire(b)
        #expect(Self.eventually { prepared.count == 4 })  // the next large one
        spare.stop()
        for sandbox in prepared.all {
            #expect(Self.isClosed(sandbox), "\(sandbox.workspace.path) left after stop")
        }
        let cgroups = AdminActionTests.ownCgroups(engine)
        #expect(cgroups.isEmpty, "cgroups left after stop: \(cgroups)")
        #expect(spare.take(small) == nil, "a stopped spare prepares nothing")
    }

    @Test func discardClosesTheReadySpareAndPreparesNoneUntilTheNextTake() throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine(start: false)
        let prepared = Prepared()
        let spare = Self.spare(engine, prepared)
        defer { spare.stop() }
        let shape = engine.runShape(try Self.job(engine, "true"))
        spare.retire(try #require(spare.take(shape)))
        #expect(Self.eventually { prepared.count == 2 })
        let ready = prepared.all[1]
        #expect(Self.eventually { Self.isClosed(prepared.all[0]) })
        spare.discard()
        // Killed by the discarding thread itself, then closed by the spare's.
        #expect(Self.eventually { AdminActionTests.ownCgroups(engine, holdingProcesses: true).isEmpty })
        #expect(Self.eventually { Self.isClosed(ready) }, "the ready spare is closed on discard")
        // Nothing new until a take asks: the discarded shape is not prepared again.
        usleep(300_000)
        #expect(prepared.count == 2)
        let next = try #require(spare.take(shape))
        #expect(prepared.count == 3 && prepared.all[2] === next)
        spare.retire(next)
    }
}
