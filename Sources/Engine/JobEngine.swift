import API
import Catalog
import Foundation
import Logging
import Sandbox
import Store
import Synchronization

/// Takes code jobs, keeps them durable in the store, runs them in sandboxes on a fixed set of worker
/// threads (one sandbox each), and tells anyone waiting how they went.
///
/// Admission: a job is validated, written to the store, then queued (fair between submitters); a full queue
/// answers 429. A synchronous job (its client waits for the end) is written as it starts instead. Each worker
/// takes the next job, compiles it if its language is compiled and runs it, in one workspace, then stores the
/// result and publishes the end. Workers are plain threads because a sandbox run
/// blocks its thread (and, cloned without the launch zygote, the sandbox's init dies with that thread).
public final class JobEngine: JobService, Sendable {
    let launcher: SandboxLauncher
    let store: JobStore
    let configuration: EngineConfiguration
    let logger: Logger
    let loadCatalog: @Sendable () throws(CatalogError) -> OperatorCatalog
    let catalog: Mutex<CatalogState>
    let queue: FairQueue<PreparedJob>
    let hub = EventHub()
    /// Readiness, breakers, self-tests, the watchdog's view of running sandboxes, metrics and engine events.
    let healthState: EngineHealth
    /// Cancellation handles of the jobs that are running now.
    let running = Mutex<[String: CancellationSignal]>([:])
    /// The rows of synchronous jobs not stored yet: each is stored as its job starts (with its "queued" and
    /// "running" states, one commit instead of two on the job's path), or as it ends if it never starts.
    let unstored = Mutex<[String: JobRecord]>([:])
    let versions = Mutex<[String: String]>([:])
    /// Running jobs per profile, for each profile's `concurrency`.
    private let runningPerProfile = Mutex<[String: Int]>([:])
    let draining = Atomic<Bool>(false)
    /// Each worker's spare sandbox (see `WarmSpare`); an emergency stop discards them.
    let warmSpares = Mutex<[WarmSpare]>([])
    /// Entered by every worker and probe thread, left when it ends.
    private let stopped = DispatchGroup()
    private let purgeWake = DispatchSemaphore(value: 0)

    /// `loadCatalog` is called now and on every reload.
    public init(
        launcher: SandboxLauncher, store: JobStore, configuration: EngineConfiguration, logger: Logger,
        loadCatalog: @escaping @Sendable () throws(CatalogError) -> OperatorCatalog
    ) throws(CatalogError) {
        self.launcher = launcher
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.loadCatalog = loadCatalog
        let loaded = try loadCatalog()
        let state = CatalogState(loaded)
        for error in state.errors { logger.warning("operator file refused", metadata: ["error": "\(error)"]) }
        catalog = Mutex(state)
        queue = FairQueue(capacity: configuration.queueCapacity)
        healthState = EngineHealth(configuration: configuration, logger: logger)
    }

    /// Recovers what a previous daemon left, probes the languages and starts the workers.
    public func start() throws(APIError) {
        startHealth()
        do {
            let (lost, queued) = try store.recoverAfterRestart(message: "the daemon stopped while the job ran", at: Date())
            for id in lost { logger.warning("job lost in a restart", metadata: ["job.id": "\(id)"]) }
            for record in queued { requeue(record) }
        } catch {
            throw APIError("store_failed", "cannot recover the job store: \(error)", httpStatus: 503)
        }
        for index in 0..<max(1, configuration.slots) {
            // Ahead of demand, off this worker: the next job shaped like the last one starts at once.
            let spare = WarmSpare(name: "brig-spare-\(index)") { [self] shape, cancellation in prepareWarm(shape, cancellation: cancellation) }
            warmSpares.withLock { $0.append(spare) }
            let thread = Thread { [self] in
                while true {
                    guard let job = queue.take(admit: admit) else {
                        if queue.isClosed { break }
                        continue
                    }
                    execute(job, spare: spare)
                    release(job)
                }
                spare.stop()
                stopped.leave()
            }
            thread.name = "brig-slot-\(index)"
            stopped.enter()
            thread.start()
        }
        startProbe()
        startPurger()
    }

    /// Purges finished jobs past the retention age and count now and every `purgeInterval`, on a thread of its
    /// own; `shutdown` wakes and waits for it.
    func startPurger() {
        stopped.enter()
        let purger = Thread { [self] in
            repeat {
                purgeExpired()
            } while purgeWake.wait(timeout: .now() + Self.seconds(configuration.purgeInterval)) == .timedOut
                && !draining.load(ordering: .relaxed)
            stopped.leave()
        }
        purger.name = "brig-purge"
        purger.start()
    }

    /// Applies the retention settings once (to finished jobs and ended sessions); returns how many jobs went.
    @discardableResult
    public func purgeExpired() -> Int {
        let cutoff = Date().addingTimeInterval(-Self.seconds(configuration.retentionAge))
        do {
            let removed = try store.purge(olderThan: cutoff, keepingAtMost: configuration.retentionCount)
            if removed > 0 { logger.info("purged finished jobs", metadata: ["count": "\(removed)"]) }
            // Ended sessions (their workspaces are gone already) follow the jobs' retention age.
            let sessions = try store.purgeSessions(endedBefore: cutoff)
            if sessions > 0 { logger.info("purged ended sessions", metadata: ["count": "\(sessions)"]) }
            return removed
        } catch {
            logger.error("retention purge failed", metadata: ["error": "\(error)"])
            return 0
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Probes the languages' versions on a thread of its own; `shutdown` waits for it.
    func startProbe() {
        stopped.enter()
        let probe = Thread { [self] in
            probeLanguages()
            stopped.leave()
        }
        probe.name = "brig-probe"
        probe.start()
    }

    /// Stops taking jobs, lets running ones finish until `grace` has passed, then cancels them. Queued jobs
    /// stay queued in the store and run at the next start.
    public func shutdown(grace: Duration) {
        draining.store(true, ordering: .relaxed)
        purgeWake.signal()
        let deadline = ContinuousClock.now + grace
        queue.close()
        while ContinuousClock.now < deadline && !running.withLock({ $0.isEmpty }) {
            Thread.sleep(forTimeInterval: 0.02)
        }
        for signal in running.withLock({ Array($0.values) }) { signal.cancel() }
        _ = stopped.wait(timeout: .now() + 10)
        stopHealth()
    }

    /// Counts a job against its profile's `concurrency`; false when the profile is at its limit (the job waits).
    /// Called under the queue's lock.
    private func admit(_ job: PreparedJob) -> Bool {
        // After an emergency stop queued jobs stay queued until `resume`.
        if healthState.emergencyStopped.load(ordering: .relaxed) { return false }
        return runningPerProfile.withLock { counts in
            guard counts[job.profile.name, default: 0] < job.profile.concurrency else { return false }
            counts[job.profile.name, default: 0] += 1
            return true
        }
    }

    private func release(_ job: PreparedJob) {
        runningPerProfile.withLock { $0[job.profile.name, default: 1] -= 1 }
        queue.wake()
    }

    /// Jobs waiting for a slot.
    public var queueDepth: Int { queue.depth }

    // MARK: JobService

    public func submit(_ request: JobRequest, peer: Peer) async throws(APIError) -> JobView {
        try enqueue(request, peer: peer, following: false).job
    }

    /// Subscribed before the job is queued, so its end cannot come first: no read of the store is needed.
    public func run(_ request: JobRequest, peer: Peer) async throws(APIError) -> JobView {
        let (queued, events) = try enqueue(request, peer: peer, following: true)
        if let events, let final = await Self.endedJob(in: events) { return final }
        do {
            return try await job(queued.id, peer: peer)
        } catch where error.httpStatus == 404 {
            // Stored as it started (or ended), the job is missing only when that write failed.
            throw APIError("store_failed", "job \(queued.id) ended, but the store could not record it", httpStatus: 503, retryAfter: 5)
        }
    }

    public func wait(for id: String, peer: Peer) async throws(APIError) -> JobView {
        let events = hub.subscribe(id)
        let current = try await job(id, peer: peer)
        if current.status.isTerminal { return current }
        if let final = await Self.endedJob(in: events) { return final }
        return try await job(id, peer: peer)
    }

    /// The job an "end" event carries (it is the job as stored: no need to read it back, nor to decode it).
    private static func endedJob(in events: AsyncStream<JobEvent>) async -> JobView? {
        for await event in events where event.kind == "end" {
            return event.job ?? (try? APIJSON.decoder().decode(JobView.self, from: Data(event.data.utf8)))
        }
        return nil
    }

    /// Validates, stores and queues a job; `following` (a synchronous job) also subscribes to its events, before
    /// it is queued, and leaves the job's storing to its start (see `unstored`).
    private func enqueue(
        _ request: JobRequest, peer: Peer, following: Bool
    ) throws(APIError) -> (job: JobView, events: AsyncStream<JobEvent>?) {
        if draining.load(ordering: .relaxed) {
            throw APIError("draining", "brig is shutting down and takes no new jobs", httpStatus: 503, retryAfter: 5)
        }
        try admissionCheck(request)
        if queue.depth >= queue.capacity {
            throw APIError("queue_full", "the queue holds \(queue.capacity) jobs; try again shortly", httpStatus: 429, retryAfter: 1)
        }
        let job = try prepare(request, id: Self.newID(), owner: peer.uid)
        var record: JobRecord
        do {
            record = JobRecord(
                id: job.id, owner: peer.uid, language: request.language ?? "", profile: job.profile.name,
                request: try JSONEncoder().encode(request), createdAt: Date(), kind: request.isAgent ? "agent" : "code")
            if following {
                // Its client holds the request until the end, which is stored before it is answered: nothing
                // that was answered can be lost. Unanswered, a job that waited for a worker when the daemon
                // stopped is not run again after a restart, where nobody would wait for it.
                unstored.withLock { $0[job.id] = record }
            } else {
                // Answered 202 at once: the row and its "queued" event in one commit first.
                record = try store.insert(record, event: "state", data: Self.queuedState)
            }
        } catch {
            throw APIError("store_failed", "cannot store the job: \(error)", httpStatus: 503, retryAfter: 5)
        }
        // From here on every way out publishes an "end", which ends the subscription.
        let events = following ? hub.subscribe(job.id) : nil
        // Published before the push so that no worker's "running" can overtake it.
        hub.publish(JobEvent(kind: "state", data: Self.queuedState), to: job.id)
        if !queue.push(job, owner: peer.uid) {
            finish(job.id, status: .cancelled, message: "the queue was full", compile: nil, result: nil)
            throw APIError("queue_full", "the queue holds \(queue.capacity) jobs; try again shortly", httpStatus: 429, retryAfter: 1)
        }
        return (view(of: record), events)
    }

    public func job(_ id: String, peer: Peer) async throws(APIError) -> JobView {
        guard let record = try visibleRecord(id, peer: peer) else { throw APIError.notFound("job \(id)") }
        return view(of: record)
    }

    public func list(_ query: JobQuery, peer: Peer) async throws(APIError) -> JobPage {
        let (limit, before) = try JobEngine.page(limit: query.limit, after: query.after)
        do {
            let records = try store.list(
                owner: peer.isOperator ? nil : peer.uid, status: query.status?.rawValue, language: query.language,
                limit: limit, beforeSequence: before)
            let next = records.count == limit ? records.last?.sequence.map(String.init) : nil
            return JobPage(jobs: records.map { view(of: $0) }, next: next)
        } catch {
            throw APIError("store_failed", "cannot list jobs: \(error)", httpStatus: 503, retryAfter: 1)
        }
    }

    public func cancel(_ id: String, peer: Peer) async throws(APIError) -> JobView {
        guard let record = try visibleRecord(id, peer: peer) else { throw APIError.notFound("job \(id)") }
        if SandboxStatus(rawValue: record.status)?.isTerminal == true { return view(of: record) }
        if queue.remove(where: { $0.id == id }) {
            finish(id, status: .cancelled, message: "cancelled before it started", compile: nil, result: nil)
            return try await job(id, peer: peer)
        }
        // Running, or between the queue and its slot: signal it once it has a handle, then wait for its end.
        let events = hub.subscribe(id)
        for _ in 0..<200 {
            if let signal = running.withLock({ $0[id] }) {
                signal.cancel()
                break
            }
            let status = try await job(id, peer: peer).status
            if status.isTerminal { return try await job(id, peer: peer) }
            try? await Task.sleep(for: .milliseconds(5))
        }
        if try await job(id, peer: peer).status.isTerminal { return try await job(id, peer: peer) }
        for await event in events where event.kind == "end" { break }
        return try await job(id, peer: peer)
    }

    public func events(_ id: String, peer: Peer) async throws(APIError) -> AsyncStream<JobEvent> {
        let live = hub.subscribe(id)
        let current = try await job(id, peer: peer)
        return EventHub.stream(following: live, status: current.status, endData: APIJSON.text(current))
    }

    // MARK: Records and views

    func visibleRecord(_ id: String, peer: Peer) throws(APIError) -> JobRecord? {
        let record: JobRecord?
        do {
            record = try store.job(id: id)
        } catch {
            throw APIError("store_failed", "cannot read job \(id): \(error)", httpStatus: 503, retryAfter: 1)
        }
        guard let record, peer.isOperator || record.owner == peer.uid else { return nil }
        return record
    }

    /// `results`: the compile and run results `record` stores, when the caller has them decoded already.
    func view(of record: JobRecord, results: (compile: SandboxResult?, run: SandboxResult?)? = nil) -> JobView {
        let decoder = JSONDecoder()
        return JobView(
            id: record.id, status: SandboxStatus(rawValue: record.status) ?? .internalError, language: record.kind == "agent" ? nil : record.language,
            profile: record.profile, owner: record.owner, createdAt: record.createdAt, startedAt: record.startedAt,
            finishedAt: record.finishedAt, message: record.message,
            compile: results.map(\.compile) ?? record.compileResult.flatMap { try? decoder.decode(SandboxResult.self, from: $0) },
            result: results.map(\.run) ?? record.result.flatMap { try? decoder.decode(SandboxResult.self, from: $0) },
            kind: record.kind, steps: record.steps.flatMap { try? decoder.decode([AgentStepView].self, from: $0) })
    }

    /// Marks a job terminal in the store, then tells everyone waiting.
    func finish(_ id: String, status: SandboxStatus, message: String?, compile: SandboxResult?, result: SandboxResult?) {
        let ending = healthState.endings.withLock { $0.removeValue(forKey: id) }
        let status = ending?.status ?? status
        let message = ending?.message ?? message
        let encoder = JSONEncoder()
        var ended = false
        var stored: JobRecord?
        do {
            if let record = unstored.withLock({ $0.removeValue(forKey: id) }) {
                _ = try store.insert(record, event: "state", data: Self.queuedState)  // it ends without starting
            }
            // The results, the final state event and the row read back in one commit.
            (ended, stored) = try store.finish(
                id: id, status: status.rawValue, compileResult: compile.flatMap { try? encoder.encode($0) },
                result: result.flatMap { try? encoder.encode($0) }, message: message, at: Date(),
                event: "state", data: #"{"status":"\#(status.rawValue)"}"#)
        } catch {
            logger.error("cannot store a job's end", metadata: ["job.id": "\(id)", "error": "\(error)"])
        }
        // Stored by this call, the results are the ones in hand; a job that had ended already keeps its own.
        let final = stored.map { ended ? view(of: $0, results: (compile, result)) : view(of: $0) }
        if ended, let final { observeEnd(final) }
        hub.publish(final.map(JobEvent.init(end:)) ?? JobEvent(kind: "end", data: #"{"id":"\#(id)"}"#), to: id)
    }

    private func requeue(_ record: JobRecord) {
        do {
            let request = try JSONDecoder().decode(JobRequest.self, from: record.request)
            let job = try prepare(request, id: record.id, owner: record.owner)
            if !queue.push(job, owner: record.owner) {
                finish(record.id, status: .cancelled, message: "the queue was full after a restart", compile: nil, result: nil)
            }
        } catch {
            finish(record.id, status: .internalError, message: "cannot run it after a restart: \(error)", compile: nil, result: nil)
        }
    }

    /// A list request's page size (1...500) and the sequence its `after` cursor names.
    static func page(limit: Int, after: String?) throws(APIError) -> (limit: Int, beforeSequence: Int64?) {
        guard let after else { return (min(max(limit, 1), 500), nil) }
        guard let cursor = Int64(after), cursor > 0 else {
            throw APIError("invalid_cursor", "\(after.debugDescription) is not a cursor from a previous page", field: "after")
        }
        return (min(max(limit, 1), 500), cursor)
    }

    static let queuedState = #"{"status":"queued"}"#
    static let runningState = #"{"status":"running"}"#

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt32
        return "j_" + String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 8)
    }
}

private extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
