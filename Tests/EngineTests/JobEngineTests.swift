import API
import Catalog
@testable import Engine
import Foundation
import Logging
import Sandbox
import Store
import Testing

/// The engine with a real launcher, a temporary store and the repository's catalog.
@Suite(.serialized) struct JobEngineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let alice = Peer(uid: 5001, gid: 5001, pid: 1, isOperator: false)
    static let bob = Peer(uid: 5002, gid: 5002, pid: 2, isOperator: false)
    static let root0 = Peer(uid: 0, gid: 0, pid: 3, isOperator: true)

    static func engine(slots: Int = 1, queue: Int = 100, retentionCount: Int = 100_000, catalog: String = root) throws -> JobEngine {
        let launcher = try SandboxLauncher(
            runtimeDirectory: "/run/brig-test", cgroups: try CgroupDetector.detect(parent: "brig-test"),
            seccomp: try SeccompPolicy.default.compile())
        let engine = try JobEngine(
            launcher: launcher, store: try JobStore.temporary(),
            configuration: EngineConfiguration(slots: slots, queueCapacity: queue, retentionCount: retentionCount),
            logger: Logger(label: "test"),
            loadCatalog: { () throws(CatalogError) -> OperatorCatalog in OperatorCatalog(directory: catalog) })
        try engine.start()
        return engine
    }

    @Test func peersSeeOnlyTheirOwnJobsAndOperatorsSeeAll() async throws {
        let engine = try Self.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let job = try await engine.submit(JobRequest(language: "bash", source: "echo hi"), peer: Self.alice)
        let done = try await engine.wait(for: job.id, peer: Self.alice)
        #expect(done.status == .ok)
        #expect(done.result?.stdout.text == "hi\n")
        await #expect(throws: APIError.notFound("job \(job.id)")) { try await engine.job(job.id, peer: Self.bob) }
        #expect(try await engine.job(job.id, peer: Self.root0).id == job.id)
        #expect(try await engine.list(JobQuery(), peer: Self.bob).jobs.isEmpty)
        #expect(try await engine.list(JobQuery(), peer: Self.alice).jobs.map(\.id) == [job.id])
        await #expect(throws: APIError.notFound("job \(job.id)")) { try await engine.cancel(job.id, peer: Self.bob) }
    }

    /// The store records "running" while the program starts (not before it), as of when the worker took the
    /// job; a job whose sandbox never starts passes through running all the same, before its end.
    @Test func everyJobIsStoredAsRunningBeforeItsEnd() async throws {
        let engine = try Self.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let done = try await engine.run(JobRequest(language: "bash", source: "echo hi"), peer: Self.alice)
        #expect(done.status == .ok)
        #expect(APIJSON.text(try await engine.job(done.id, peer: Self.alice)) == APIJSON.text(done))

        // A spec the launcher refuses before any sandbox exists (validation keeps NUL bytes out of requests).
        let valid = try engine.prepare(JobRequest(language: "bash", source: "true"), id: "j_refused", owner: Self.alice.uid)
        var request = valid.request
        request.args = ["a\u{0}b"]
        let refused = PreparedJob(
            id: valid.id, owner: valid.owner, request: request, profile: valid.profile, image: valid.image,
            language: valid.language, limits: valid.limits, compileLimits: valid.compileLimits, files: valid.files)
        _ = try engine.store.insert(
            JobRecord(id: refused.id, owner: refused.owner, language: "bash", profile: valid.profile.name, request: Data("{}".utf8), createdAt: Date()),
            event: "state", data: #"{"status":"queued"}"#)
        engine.execute(refused)
        let failed = try await engine.job(refused.id, peer: Self.alice)
        #expect(failed.status == .internalError)

        for job in [done, failed] {
            let started = try #require(job.startedAt)
            let finished = try #require(job.finishedAt)
            #expect(job.createdAt <= started && started <= finished)
            let states = try engine.store.events(jobID: job.id).map(\.data)
            #expect(states == [#"{"status":"queued"}"#, #"{"status":"running"}"#, #"{"status":"\#(job.status.rawValue)"}"#])
        }
    }

    /// A synchronous job's client holds it until it starts: waiting for a worker it is not in the store (what
    /// was answered is stored, and a restart does not run it for nobody); it is stored as it starts, created as
    /// of its submission, and one that ends without starting is stored as it ends.
    @Test func aSynchronousJobIsStoredAsItStarts() async throws {
        let engine = try Self.engine(slots: 1)
        defer { engine.shutdown(grace: .seconds(1)) }
        let busy = try await engine.submit(JobRequest(language: "bash", source: "sleep 30"), peer: Self.alice)
        while try await engine.job(busy.id, peer: Self.alice).status == .queued { try await Task.sleep(for: .milliseconds(10)) }
        let waiting = Task { try await engine.run(JobRequest(language: "bash", source: "echo ran"), peer: Self.alice) }
        while engine.queueDepth == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await engine.list(JobQuery(), peer: Self.alice).jobs.map(\.id) == [busy.id], "while it waits for a worker")
        let freed = Date()
        _ = try await engine.cancel(busy.id, peer: Self.alice)
        let done = try await waiting.value
        #expect(done.status == .ok && done.result?.stdout.text == "ran\n")
        #expect(done.createdAt < freed && freed <= (done.startedAt ?? .distantPast), "created when submitted, started when freed")
        #expect(APIJSON.text(try await engine.job(done.id, peer: Self.alice)) == APIJSON.text(done))
        #expect(try engine.store.events(jobID: done.id).map(\.data)
            == [#"{"status":"queued"}"#, #"{"status":"running"}"#, #"{"status":"ok"}"#])

        let never = JobRecord(id: "j_never", owner: Self.alice.uid, language: "bash", profile: "default", request: Data("{}".utf8), createdAt: Date())
        engine.unstored.withLock { $0[never.id] = never }
        engine.finish(never.id, status: .cancelled, message: "cancelled before it started", compile: nil, result: nil)
        #expect(try await engine.job(never.id, peer: Self.alice).status == .cancelled)
        #expect(try engine.store.events(jobID: never.id).map(\.data) == [#"{"status":"queued"}"#, #"{"status":"cancelled"}"#])
        #expect(engine.unstored.withLock { $0.isEmpty })
    }

    @Test func aFullQueueAnswers429WithRetryAfter() async throws {
        let engine = try Self.engine(slots: 1, queue: 1)
        defer { engine.shutdown(grace: .seconds(1)) }
        let busy = try await engine.submit(JobRequest(language: "bash", source: "sleep 5"), peer: Self.alice)
        // Wait until the worker took it, so the queue is empty again.
        while try await engine.job(busy.id, peer: Self.alice).status == .queued { try await Task.sleep(for: .milliseconds(10)) }
        let waiting = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
        do {
            _ = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.bob)
            Issue.record("a third job was accepted into a queue of one")
        } catch {
            #expect(error.httpStatus == 429)
            #expect(error.retryAfter != nil)
        }
        #expect(try await engine.cancel(waiting.id, peer: Self.alice).status == .cancelled)
        #expect(try await engine.cancel(busy.id, peer: Self.alice).status == .cancelled)
    }

    @Test func requestsAreValidatedWithTheFieldNamed() async throws {
        let engine = try Self.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let cases: [(JobRequest, String, String)] = [
            (JobRequest(language: "cobol", source: "x"), "unknown_language", "language"),
            (JobRequest(language: "bash", source: "x", profile: "huge"), "unknown_profile", "profile"),
            (JobRequest(language: "bash", source: ""), "empty_source", "source"),
            (JobRequest(language: "bash"), "missing_source", "source"),
            (JobRequest(language: "bash", source: "x", limits: RequestedLimits(memory: "64GiB")), "invalid_limits", "limits.memory"),
            (JobRequest(language: "bash", source: "x", limits: RequestedLimits(wallTime: "soon")), "invalid_limits", "limits.wall_time"),
            (JobRequest(language: "bash", files: [JobFile(path: "../x", content: "")]), "invalid_path", "files[0].path"),
            (JobRequest(language: "bash", files: [JobFile(path: "a", content: "%%%", encoding: "base64")]), "invalid_encoding", "files[0].content"),
        ]
        for (request, code, field) in cases {
            do {
                _ = try await engine.submit(request, peer: Self.alice)
                Issue.record("accepted \(request)")
            } catch {
                #expect(error.code == code)
                #expect(error.field == field)
                #expect(error.httpStatus == 400)
            }
        }
    }

    @Test func filesCompileAndRunInOneWorkspace() async throws {
        let engine = try Self.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let request = JobRequest(language: "c", files: [
            JobFile(path: "main.c", content: "#include \"lib/greet.h\"\nint main(void) { greet(); return 0; }\n"),
            JobFile(path: "lib/greet.h", content: "#include <stdio.h>\nstatic void greet(void) { puts(\"from a header\"); }\n"),
        ])
        let job = try await engine.submit(request, peer: Self.alice)
        let done = try await engine.wait(for: job.id, peer: Self.alice)
        #expect(done.status == .ok, "\(done)")
        #expect(done.compile?.status == .ok)
        #expect(done.result?.stdout.text == "from a header\n")
    }

    @Test func retentionKeepsTheNewestFinishedJobs() async throws {
        let engine = try Self.engine(retentionCount: 1)
        defer { engine.shutdown(grace: .seconds(1)) }
        var ids: [String] = []
        for index in 0..<3 {
            let job = try await engine.submit(JobRequest(language: "bash", source: "echo \(index)"), peer: Self.alice)
            _ = try await engine.wait(for: job.id, peer: Self.alice)
            ids.append(job.id)
        }
        #expect(engine.purgeExpired() == 2)
        #expect(try await engine.list(JobQuery(), peer: Self.alice).jobs.map(\.id) == [ids[2]])
    }

    @Test func aProfilesConcurrencyLimitsItsRunningJobs() async throws {
        // build.toml has concurrency = 1: with two slots its jobs still run one at a time.
        let engine = try Self.engine(slots: 2)
        defer { engine.shutdown(grace: .seconds(1)) }
        let first = try await engine.submit(JobRequest(language: "bash", source: "sleep 0.5", profile: "build"), peer: Self.alice)
        let second = try await engine.submit(JobRequest(language: "bash", source: "sleep 0.5", profile: "build"), peer: Self.alice)
        let other = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
        let one = try await engine.wait(for: first.id, peer: Self.alice)
        let two = try await engine.wait(for: second.id, peer: Self.alice)
        let three = try await engine.wait(for: other.id, peer: Self.alice)
        #expect(one.status == .ok && two.status == .ok && three.status == .ok)
        let firstEnd = try #require(one.finishedAt)
        let secondStart = try #require(two.startedAt)
        #expect(secondStart >= firstEnd, "build jobs overlapped")
        // The default-profile job used the free slot meanwhile instead of waiting behind them.
        #expect(try #require(three.finishedAt) < firstEnd)
    }
}
