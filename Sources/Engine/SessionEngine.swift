import API
import Catalog
import Dispatch
import Foundation
import Logging
import Metrics
import Sandbox
import Store
import Synchronization

/// Persistent sandbox sessions for builder agents: a workspace, an identity and a network namespace that live
/// across steps, each step a fresh sandbox (namespaces, cgroup, limits) joining them.
///
/// Session metadata and step results live in the job store, so after a restart sessions are listed with their
/// state: steps that were running become `lost`, and a session still within its lifetime gets its workspace
/// (a tmpfs under `configuration.directory`, which the reaper never touches) and identity back, plus a fresh
/// network namespace. A sweeper thread ends sessions past their lifetime or idle time; ending kills the
/// steps, unmounts the workspace and records why. Steps run on threads of their own (a sandbox run blocks
/// its thread and dies with it), bounded per session and overall.
public final class SessionEngine: SessionService, Sendable {
    let jobs: JobEngine
    let configuration: SessionConfiguration
    let live = Mutex<[String: LiveSession]>([:])
    let hub = EventHub()
    /// Steps running in all sessions.
    let runningSteps = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    private let sweeperWake = DispatchSemaphore(value: 0)
    private let sweeperDone = DispatchGroup()

    var store: JobStore { jobs.store }
    var launcher: SandboxLauncher { jobs.launcher }
    var logger: Logger { jobs.logger }

    public init(jobs: JobEngine, configuration: SessionConfiguration) {
        self.jobs = jobs
        self.configuration = configuration
    }

    /// Takes back the sessions a previous daemon left, removes workspaces no active session owns, and starts
    /// the sweeper.
    public func start() throws(APIError) {
        do {
            try FileManager.default.createDirectory(atPath: configuration.directory, withIntermediateDirectories: true)
        } catch {
            throw APIError("internal_error", "cannot create the session directory \(configuration.directory): \(error)", httpStatus: 503)
        }
        let active: [SessionRecord]
        do {
            active = try store.recoverSessionsAfterRestart(message: "the daemon stopped while the step ran", at: Date())
        } catch {
            throw APIError("store_failed", "cannot recover the sessions: \(error)", httpStatus: 503)
        }
        for record in active { resume(record) }
        removeOrphanWorkspaces()
        updateGauge()
        sweeperDone.enter()
        let sweeper = Thread { [self] in
            repeat {
                sweep(now: Date())
            } while sweeperWake.wait(timeout: .now() + JobEngine.seconds(configuration.sweepInterval)) == .timedOut
                && !stopping.load(ordering: .relaxed)
            sweeperDone.leave()
        }
        sweeper.name = "brig-sessions"
        sweeper.start()
    }

    /// Stops the running steps (they end `cancelled`, "the daemon stopped") and the sweeper. Sessions stay
    /// active with their workspaces mounted: the next daemon resumes them.
    public func shutdown() {
        stopping.store(true, ordering: .relaxed)
        sweeperWake.signal()
        for session in live.withLock({ Array($0.values) }) {
            for step in session.running.withLock({ Array($0.values) }) { step.stop(because: "the daemon stopped") }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while runningSteps.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        _ = sweeperDone.wait(timeout: .now() + 5)
    }

    // MARK: Lifecycle

    /// Ends sessions past their lifetime, and idle ones (no foreground step running) past their idle time.
    func sweep(now: Date) {
        let sessions = live.withLock { Array($0.values) }
        guard !sessions.isEmpty else { return }
        let records = (try? store.activeSessions()) ?? []
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for session in sessions {
            guard let record = byID[session.id] else { continue }
            if now >= session.expiresAt {
                end(session, state: .expired, reason: "lifetime \(Self.text(record.expiresAt.timeIntervalSince(record.createdAt))) reached")
            } else if now.timeIntervalSince(record.lastUsedAt) >= session.idleSeconds, !session.hasForegroundStep {
                end(session, state: .expired, reason: "idle for \(Self.text(session.idleSeconds))")
            }
        }
    }

    /// Ends a live session: no new steps, its running steps killed, its workspace removed, its identity freed,
    /// the end recorded. Blocks until its steps are gone (a few ms normally; at most 10 s).
    func end(_ session: LiveSession, state: SessionState, reason: String) {
        guard !session.ending.exchange(true, ordering: .relaxed) else {
            // Someone else is ending it: wait for them, so the caller sees it ended.
            let deadline = ContinuousClock.now + .seconds(15)
            while live.withLock({ $0[session.id] != nil }) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            return
        }
        do {
            try store.endSession(id: session.id, state: state.rawValue, reason: reason, at: Date())
        } catch {
            logger.error("cannot store a session's end", metadata: ["session.id": "\(session.id)", "error": "\(error)"])
        }
        for step in session.running.withLock({ Array($0.values) }) { step.stop(because: "the session ended: \(reason)") }
        let deadline = ContinuousClock.now + .seconds(10)
        while !session.running.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        do {
            try session.workspace.remove()
        } catch {
            logger.error("cannot remove a session's workspace", metadata: ["session.id": "\(session.id)", "error": "\(error)"])
        }
        session.lease.release()
        _ = live.withLock { $0.removeValue(forKey: session.id) }
        updateGauge()
        logger.info("session ended", metadata: ["session.id": "\(session.id)", "state": "\(state.rawValue)", "reason": "\(reason)"])
    }

    /// After a restart: a session within its lifetime and idle time gets its workspace, identity and a fresh
    /// network namespace back; any other ends, recording why.
    private func resume(_ record: SessionRecord) {
        let now = Date()
        var ending: (SessionState, String)?
        if now >= record.expiresAt {
            ending = (.expired, "lifetime reached while the daemon was down")
        } else if now.timeIntervalSince(record.lastUsedAt) >= record.idleSeconds {
            ending = (.expired, "idle for \(Self.text(record.idleSeconds)) while the daemon was down")
        }
        if ending == nil {
            do {
                let request = try JSONDecoder().decode(SessionRequest.self, from: record.request)
                let resolved = try resolve(request)
                let lease = try launcher.leaseSessionSlot(record.slot)
                let workspace: Workspace
                let network: NetworkNamespace
                do {
                    workspace = try Workspace.adopt(at: record.workspace, owner: lease.identity)
                    network = try NetworkNamespace()
                } catch {
                    lease.release()
                    throw error
                }
                let session = LiveSession(
                    id: record.id, owner: record.owner, lease: lease, workspace: workspace, network: network,
                    profile: resolved.profile, image: resolved.image, defaults: resolved.defaults,
                    maxSteps: resolved.maxSteps, cpuBudget: resolved.cpuBudget, expiresAt: record.expiresAt,
                    idleSeconds: record.idleSeconds)
                live.withLock { $0[record.id] = session }
                logger.info("session resumed after a restart", metadata: ["session.id": "\(record.id)"])
                return
            } catch {
                ending = (.expired, "cannot resume after a restart: \(error)")
            }
        }
        guard let (state, reason) = ending else { return }
        _ = try? store.endSession(id: record.id, state: state.rawValue, reason: reason, at: now)
        Self.unmount(record.workspace)
        logger.warning("session ended at start-up", metadata: ["session.id": "\(record.id)", "reason": "\(reason)"])
    }

    /// Workspaces under the session directory that no live session owns (a session deleted while its
    /// unmount failed, or one whose record went with a purge).
    private func removeOrphanWorkspaces() {
        let owned = live.withLock { Set($0.keys) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.directory)) ?? []
        for name in names where name.hasPrefix("s_") && !owned.contains(name) {
            Self.unmount("\(configuration.directory)/\(name)")
            logger.warning("removed an orphan session workspace", metadata: ["session.id": "\(name)"])
        }
    }

    static func unmount(_ path: String) {
        _ = umount2(path, Int32(MNT_DETACH))
        rmdir(path)
    }

    func updateGauge() {
        let open = live.withLock { $0.count }
        jobs.healthState.openSessions.store(open, ordering: .relaxed)
        jobs.healthState.metrics.set(EngineMetrics.sessions, open)
    }

    // MARK: Lookups and views

    /// The session record if `peer` may see it; `not_found` otherwise.
    func visibleSession(_ id: String, peer: Peer) throws(APIError) -> SessionRecord {
        let record: SessionRecord?
        do {
            record = try store.session(id: id)
        } catch {
            throw APIError("store_failed", "cannot read session \(id): \(error)", httpStatus: 503, retryAfter: 1)
        }
        guard let record, peer.isOperator || record.owner == peer.uid else { throw APIError.notFound("session \(id)") }
        return record
    }

    /// The live session behind `id`, or `session_ended` (409) when it is over.
    func liveSession(_ id: String, peer: Peer) throws(APIError) -> (SessionRecord, LiveSession) {
        let record = try visibleSession(id, peer: peer)
        guard record.state == SessionState.active.rawValue, let session = live.withLock({ $0[id] }),
              !session.ending.load(ordering: .relaxed) else {
            let state = record.state == SessionState.active.rawValue ? "ending" : record.state
            throw APIError("session_ended", "session \(id) is \(state)\(record.endReason.map { " (\($0))" } ?? ""); create a new one", httpStatus: 409)
        }
        return (record, session)
    }

    func touch(_ id: String) {
        try? store.touchSession(id: id, at: Date())
    }

    func view(of record: SessionRecord) -> SessionView {
        let session = live.withLock { $0[record.id] }
        let caps = (try? JSONDecoder().decode(SessionCaps.self, from: record.caps))
            ?? SessionCaps(maxSteps: 0, cpuTime: "0s", workspace: "0B")
        let running = ((try? store.steps(sessionID: record.id, unfinished: true)) ?? []).map(stepView(of:))
        return SessionView(
            id: record.id, state: SessionState(rawValue: record.state) ?? .ended, image: record.image,
            profile: record.profile, owner: record.owner, createdAt: record.createdAt, lastUsedAt: record.lastUsedAt,
            expiresAt: record.expiresAt,
            idleExpiresAt: min(record.expiresAt, record.lastUsedAt.addingTimeInterval(record.idleSeconds)),
            endedAt: record.endedAt, endReason: record.endReason,
            usage: SessionUsage(
                steps: record.stepCount, cpuTimeMs: record.cpuTimeMs, workspaceBytes: session?.workspace.usedBytes ?? 0),
            caps: caps, running: running)
    }

    func stepView(of record: StepRecord) -> StepView {
        let decoder = JSONDecoder()
        return StepView(
            id: record.id, session: record.sessionID, index: record.number,
            cmd: (try? decoder.decode([String].self, from: record.command)) ?? [], background: record.background,
            status: SandboxStatus(rawValue: record.status) ?? .internalError, createdAt: record.createdAt,
            startedAt: record.startedAt, finishedAt: record.finishedAt, message: record.message,
            result: record.result.flatMap { try? decoder.decode(SandboxResult.self, from: $0) })
    }

    static func text(_ seconds: Double) -> String {
        DurationText(.milliseconds(Int64((seconds * 1000).rounded()))).description
    }

    static func newID(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt32
        func padded(_ text: String, _ length: Int) -> String { String(repeating: "0", count: max(0, length - text.count)) + text }
        return prefix + padded(String(high, radix: 16), 16) + padded(String(low, radix: 16), 8)
    }

    /// Runs `body` on a thread of its own (a sandbox run blocks its thread) and awaits its value.
    static func onThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
