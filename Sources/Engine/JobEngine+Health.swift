import API
import Catalog
import Foundation
import Sandbox
import Store
#if canImport(Glibc)
import Glibc
#endif

extension JobEngine {
    // MARK: Start and stop

    /// At start, before the store is recovered: the store's integrity check, the reaper, then the health and
    /// watchdog threads. Called by `start()`.
    func startHealth() {
        checkStoreIntegrity()
        let removed = launcher.reapLeftovers()
        if !removed.isEmpty {
            publish(.leftoversReaped, ["when": "start", "count": "\(removed.count)", "removed": removed.joined(separator: "; ")])
        }
        let started = ContinuousClock.now
        healthState.threads.enter()
        let monitor = Thread { [self] in
            var lastSelfTest: ContinuousClock.Instant? = configuration.selfTestAtStart ? nil : started
            while !healthState.stopping.load(ordering: .relaxed) {
                _ = evaluateReadiness()
                probeDueBreakers()
                if let interval = configuration.selfTestInterval, !healthState.stopping.load(ordering: .relaxed),
                    lastSelfTest.map({ ContinuousClock.now - $0 >= interval }) ?? true {
                    lastSelfTest = .now
                    _ = selfTestAll()
                }
                _ = healthState.wake.wait(timeout: .now() + Self.seconds(configuration.healthInterval))
            }
            healthState.threads.leave()
        }
        monitor.name = "brig-health"
        monitor.start()
        startWatchdog()
    }

    /// Ends the health and watchdog threads (a self-test in progress finishes first). Called by `shutdown`.
    func stopHealth() {
        guard !healthState.stopping.exchange(true, ordering: .relaxed) else { return }
        healthState.wake.signal()
        healthState.watchdogWake.signal()
        _ = healthState.threads.wait(timeout: .now() + 30)
    }

    /// `PRAGMA quick_check` and the foreign keys: a store that fails is not ready and escalates; brig goes on
    /// so an operator can see why (jobs already stored stay readable if they are).
    func checkStoreIntegrity() {
        guard store.filePath != nil else { return }
        do {
            let problems = try store.integrityCheck()
            if problems.isEmpty {
                healthState.storeIntegrity.withLock { $0 = "ok" }
                return
            }
            let summary = "integrity check failed: " + problems.prefix(5).joined(separator: "; ")
                + (problems.count > 5 ? " (and \(problems.count - 5) more)" : "")
            healthState.storeIntegrity.withLock { $0 = summary }
        } catch {
            healthState.storeIntegrity.withLock { $0 = "integrity check could not run: \(error)" }
        }
        let integrity = healthState.storeIntegrity.withLock { $0 }
        publish(.escalation, [
            "reason": "store: \(integrity)", "store": store.filePath ?? "",
            "action": "stop brig, restore the database from a backup or move it aside, start brig",
        ])
    }

    // MARK: Events

    func publish(_ kind: EngineEvent.Kind, _ detail: [String: String] = [:]) {
        healthState.events.publish(EngineEvent(kind, detail: detail))
    }

    // MARK: Admission

    /// What `submit` refuses beyond the shutdown's drain and a full queue: 503 with the reason.
    func admissionCheck(_ request: JobRequest) throws(APIError) {
        if healthState.emergencyStopped.load(ordering: .relaxed) {
            throw APIError("emergency_stopped", "brig is emergency-stopped and takes no new jobs until an operator resumes it", httpStatus: 503, retryAfter: 30)
        }
        if healthState.adminDraining.load(ordering: .relaxed) {
            throw APIError("draining", "brig is drained by an operator and takes no new jobs; running and queued jobs go on", httpStatus: 503, retryAfter: 30)
        }
        let integrity = healthState.storeIntegrity.withLock { $0 }
        if integrity != "ok" && integrity != "not checked" {
            throw APIError("store_unhealthy", "the job store failed its \(integrity)", httpStatus: 503, retryAfter: 60)
        }
        if let problem = diskProblem() {
            throw APIError("disk_low", problem, httpStatus: 503, retryAfter: 30)
        }
        // Agent jobs have no language, so no breaker: their steps are the operator's commands.
        if let language = request.language, let breaker = healthState.breakers.withLock({ $0[language] }),
            breaker.state != .closed
        {
            let why = breaker.reason.map { ": \($0)" } ?? ""
            throw APIError(
                "language_unavailable", "\(language) is unavailable (its circuit breaker is \(breaker.state.rawValue.replacingOccurrences(of: "_", with: "-")))\(why)",
                field: "language", httpStatus: 503, retryAfter: Int(Self.seconds(configuration.breakerCoolDown)))
        }
    }

    /// The disk guard: a sentence when the state directory's filesystem is below the threshold, else nil.
    func diskProblem() -> String? {
        guard let directory = configuration.stateDirectory else { return nil }
        switch DiskSpace.available(at: directory) {
        case .failure(let error):
            return "disk: \(error)"
        case .success(let free) where free < configuration.minimumFreeDiskBytes:
            return "disk: \(ByteSize(bytes: UInt64(max(0, free)))) free in \(directory), below \(ByteSize(bytes: UInt64(max(0, configuration.minimumFreeDiskBytes))))"
        case .success:
            return nil
        }
    }

    // MARK: Readiness

    /// Evaluates readiness now (writing to the store and making a probe cgroup), publishes readiness_lost or
    /// readiness_regained when it flipped since the last evaluation, and answers it with whether the cause is
    /// critical (brig cannot work) rather than an operator's choice or a passing state.
    func evaluateReadiness() -> (readiness: Readiness, critical: Bool) {
        var reasons: [String] = []
        var critical = false
        if healthState.emergencyStopped.load(ordering: .relaxed) {
            reasons.append("emergency stop: POST /v1/admin/resume takes work again")
            critical = true
        }
        if healthState.adminDraining.load(ordering: .relaxed) || draining.load(ordering: .relaxed) {
            reasons.append("draining")
        }
        let integrity = healthState.storeIntegrity.withLock { $0 }
        if integrity != "ok" && integrity != "not checked" {
            reasons.append("store: \(integrity)")
            critical = true
        }
        do {
            try store.probeWrite()
        } catch {
            reasons.append("store: not writable: \(error)")
            critical = true
        }
        if let problem = probeCgroup() {
            reasons.append(problem)
            critical = true
        }
        if let problem = diskProblem() {
            reasons.append(problem)
            critical = true
        }
        if queue.depth >= queue.capacity {
            reasons.append("queue: full (\(queue.capacity) jobs)")
        }
        if availableLanguages().isEmpty {
            reasons.append("no language available")
            critical = true
        }
        let readiness = Readiness(ready: reasons.isEmpty, reasons: reasons)
        let previous = healthState.lastReadiness.withLock { last in
            defer { last = readiness }
            return last
        }
        if let previous, previous.ready != readiness.ready {
            if readiness.ready {
                publish(.readinessRegained)
            } else {
                publish(.readinessLost, ["reason": reasons.joined(separator: "; ")])
            }
        } else if previous == nil && !readiness.ready {
            publish(.readinessLost, ["reason": reasons.joined(separator: "; ")])
        }
        refreshGauges()
        return (readiness, critical)
    }

    /// Creates and removes an empty cgroup; a sentence when that fails.
    func probeCgroup() -> String? {
        let name = "run-\(getpid())-probe\(healthState.probeCounter.add(1, ordering: .relaxed).newValue)"
        do {
            let cgroup = try launcher.cgroups.create(name: name, limits: CgroupLimits(memoryBytes: 16 << 20, cpus: 1, pids: 8))
            try cgroup.remove()
            return nil
        } catch {
            return "cgroup: cannot create and remove a probe cgroup: \(error)"
        }
    }

    /// Languages of the live catalog whose breaker is closed.
    func availableLanguages() -> [String] {
        let names = catalog.withLock { $0.languageNames }
        let breakers = healthState.breakers.withLock { $0 }
        return names.filter { (breakers[$0]?.state ?? .closed) == .closed }
    }

    // MARK: Breakers

    /// Applies `change` to `language`'s breaker, then publishes what it did and sets its gauge.
    func updateBreaker(_ language: String, _ change: (inout CircuitBreaker) -> CircuitBreaker.Transition?) {
        let (transition, state) = healthState.breakers.withLock { all in
            var breaker = all[language] ?? CircuitBreaker()
            let transition = change(&breaker)
            all[language] = breaker
            return (transition, breaker.state)
        }
        healthState.metrics.set(EngineMetrics.breakerState, state.gauge, [("language", language)])
        switch transition {
        case .opened(let reason)?:
            publish(.breakerOpened, ["language": language, "reason": reason])
        case .closed?:
            publish(.breakerClosed, ["language": language])
        case nil:
            break
        }
    }

    /// Open breakers past their cool-down turn half-open; one self-test each decides.
    func probeDueBreakers() {
        let due = healthState.breakers.withLock { all in
            var due: [String] = []
            for name in all.keys.sorted() where all[name]?.probeIfDue(coolDown: configuration.breakerCoolDown) == true {
                due.append(name)
            }
            return due
        }
        for name in due {
            healthState.metrics.set(EngineMetrics.breakerState, CircuitBreaker.State.halfOpen.gauge, [("language", name)])
            let state = catalog.withLock { $0 }
            guard let (image, language) = state.language(named: name) else {
                healthState.breakers.withLock { _ = $0.removeValue(forKey: name) }  // the language is gone
                continue
            }
            record(runSelfTest(image: image, language: language, profiles: state.profiles), image: image.name, language: language)
        }
    }

    // MARK: Job ends

    /// Metrics, the error window and the language's breaker, for every job that ended.
    func observeEnd(_ job: JobView) {
        let metrics = healthState.metrics
        metrics.count(EngineMetrics.jobs, [("language", job.language ?? job.kind), ("profile", job.profile), ("status", job.status.rawValue)])
        switch job.status {
        case .internalError: metrics.count(EngineMetrics.internalErrors)
        case .timeout: metrics.count(EngineMetrics.timeouts)
        case .seccomp: metrics.count(EngineMetrics.seccompViolations)
        default: break
        }
        if job.result?.oomKilled == true || job.compile?.oomKilled == true || job.status == .oom {
            metrics.count(EngineMetrics.oomKills)
        }
        if let started = job.startedAt {
            metrics.time(EngineMetrics.queueWait, .milliseconds(Int64(max(0, started.timeIntervalSince(job.createdAt)) * 1000)))
        }
        for step in [job.compile, job.result].compactMap({ $0 }) where step.status != .internalError {
            metrics.time(EngineMetrics.setup, step.setupTime)
        }
        if let result = job.result, result.status != .internalError { metrics.time(EngineMetrics.run, result.wallTime) }
        healthState.errors.record(internalError: job.status == .internalError)
        guard let language = job.language else {
            refreshGauges()
            return
        }
        switch job.status {
        case .internalError:
            let reason = "\(job.message ?? "internal error") (job \(job.id))"
            updateBreaker(language) { $0.recordFailure(reason, threshold: configuration.breakerThreshold) }
        case .cancelled, .lost, .queued, .running:
            break
        default:
            healthState.breakers.withLock { $0[language]?.recordJobSuccess() }
        }
        refreshGauges()
    }

    func refreshGauges() {
        healthState.metrics.set(EngineMetrics.runningSandboxes, healthState.sandboxes.count)
        healthState.metrics.set(EngineMetrics.queueDepth, queue.depth)
    }

    // MARK: The report

    func healthReport() -> HealthReport {
        let (readiness, critical) = evaluateReadiness()
        let breakers = healthState.breakers.withLock { $0 }
        let names = catalog.withLock { $0.languageNames }
        let views = Set(names).union(breakers.keys).sorted().map { name in
            (breakers[name] ?? CircuitBreaker()).view(language: name)
        }
        let selfTests = healthState.selfTests.withLock { $0 }.values.sorted { $0.language < $1.language }
        let drainingNow = healthState.adminDraining.load(ordering: .relaxed) || draining.load(ordering: .relaxed)
        let status: String
        if critical {
            status = "critical"
        } else if !readiness.ready || views.contains(where: { $0.state != "closed" }) || selfTests.contains(where: { !$0.passed }) {
            status = "degraded"
        } else {
            status = "healthy"
        }
        let placements = launcher.cgroups.placements
        let busy = running.withLock { $0.count }
        let total = max(1, configuration.slots)
        let free: Int64 = configuration.stateDirectory.flatMap { try? DiskSpace.available(at: $0).get() } ?? 0
        return HealthReport(
            status: status, version: BrigVersion.current, readiness: readiness, draining: drainingNow,
            emergencyStopped: healthState.emergencyStopped.load(ordering: .relaxed),
            // One driver per host: every placement has the same version.
            cgroupVersion: placements.contains { $0.version == 2 } ? "v2" : "v1",
            cgroupControllers: Dictionary(placements.map { ($0.controller, $0.directory) }, uniquingKeysWith: { first, _ in first }),
            slots: SlotCounts(total: total, busy: busy, free: max(0, total - busy)),
            queue: QueueHealth(depth: queue.depth, capacity: queue.capacity, oldestAgeSeconds: queue.oldestAge.map(Self.seconds)),
            breakers: views, selfTests: selfTests,
            store: StoreHealth(path: store.filePath ?? "in memory", bytes: store.sizeBytes, integrity: healthState.storeIntegrity.withLock { $0 }),
            disk: DiskHealth(path: configuration.stateDirectory ?? "", freeBytes: free, thresholdBytes: configuration.minimumFreeDiskBytes),
            recentErrors: healthState.errors.rate(), sessions: healthState.openSessions.load(ordering: .relaxed))
    }
}
