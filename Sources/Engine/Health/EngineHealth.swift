import API
import Dispatch
import Foundation
import Logging
import Synchronization

/// The engine's health state, in one place so `JobEngine` holds it as one property: admission switches,
/// breakers, self-test results, the sandboxes the watchdog guards, metrics and the event stream.
final class EngineHealth: Sendable {
    let events: EngineEventBroadcaster
    let metrics: EngineMetrics
    let errors = ErrorWindow()
    let sandboxes = SandboxRegistry()

    /// `POST /v1/admin/drain` (the shutdown's drain is `JobEngine.draining`).
    let adminDraining = Atomic<Bool>(false)
    let emergencyStopped = Atomic<Bool>(false)
    /// "ok", "not checked" (an in-memory store) or what the start-up integrity check found.
    let storeIntegrity = Mutex<String>("not checked")
    let breakers = Mutex<[String: CircuitBreaker]>([:])
    let selfTests = Mutex<[String: SelfTestResult]>([:])
    let knownGood = Mutex<[String: KnownGoodLanguage]>([:])
    let rollbacks: Mutex<RollbackLimiter>
    /// The readiness last evaluated, to see it flip.
    let lastReadiness = Mutex<Readiness?>(nil)
    /// Jobs that the watchdog or an emergency stop ended, by id, until their end is stored.
    let endings = Mutex<[String: JobEnding]>([:])
    /// One reload (and its self-tests) at a time.
    let reloading = Mutex<Void>(())
    /// For tests only: the launcher gets limits far beyond the job's, so its own deadline never fires and the
    /// watchdog's backstop can be seen working.
    let primaryDeadlineDisabled = Atomic<Bool>(false)
    let probeCounter = Atomic<Int>(0)
    /// Open sessions, kept by the session engine.
    let openSessions = Atomic<Int>(0)

    /// Wakes the health and watchdog threads early (shutdown).
    let wake = DispatchSemaphore(value: 0)
    let watchdogWake = DispatchSemaphore(value: 0)
    let stopping = Atomic<Bool>(false)
    let threads = DispatchGroup()

    init(configuration: EngineConfiguration, logger: Logger) {
        events = EngineEventBroadcaster(logger: logger)
        metrics = EngineMetrics(factory: configuration.metricsFactory)
        rollbacks = Mutex(RollbackLimiter(limit: configuration.rollbackLimit, window: configuration.rollbackWindow))
    }
}
