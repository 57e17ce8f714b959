import API
import Metrics

/// The engine's metrics, through swift-metrics (backend-agnostic: `brig serve` bootstraps Prometheus; tests pass
/// a factory of their own through `EngineConfiguration.metricsFactory`).
///
/// Every metric brig exports, as `GET /metrics` shows it (keep the README in step):
///
///     brig_jobs_total{language,profile,status}    counter   jobs that ended, by their terminal status
///     brig_queue_wait_seconds                     histogram submission to start of running (Timer)
///     brig_setup_seconds                          histogram sandbox setup before the program runs, compile
///                                                           step included when there is one (Timer)
///     brig_run_seconds                            histogram the program's wall time (Timer)
///     brig_running_sandboxes                      gauge     jobs running now
///     brig_queue_depth                            gauge     jobs waiting for a slot
///     brig_breaker_state{language}                gauge     0 closed, 1 half-open, 2 open
///     brig_oom_kills_total                        counter   runs the kernel's OOM killer ended
///     brig_timeouts_total                         counter   runs that hit a wall or CPU limit (watchdog too)
///     brig_seccomp_violations_total               counter   runs ended by a forbidden system call
///     brig_internal_errors_total                  counter   jobs that ended internal_error
///     brig_watchdog_kills_total                   counter   sandboxes the watchdog killed
///     brig_sessions_active                        gauge     open sessions
///
/// swift-prometheus 2.4.1 maps a swift-metrics `Timer` to a duration histogram exported in seconds, with
/// the buckets `PrometheusMetricsFactory.durationHistogramBuckets[label]` names (`durationBuckets` below are
/// meant for it), a `Gauge` to a gauge and a `Counter` to a counter.
public struct EngineMetrics: Sendable {
    public static let jobs = "brig_jobs_total"
    public static let queueWait = "brig_queue_wait_seconds"
    public static let setup = "brig_setup_seconds"
    public static let run = "brig_run_seconds"
    public static let runningSandboxes = "brig_running_sandboxes"
    public static let queueDepth = "brig_queue_depth"
    public static let breakerState = "brig_breaker_state"
    public static let oomKills = "brig_oom_kills_total"
    public static let timeouts = "brig_timeouts_total"
    public static let seccompViolations = "brig_seccomp_violations_total"
    public static let internalErrors = "brig_internal_errors_total"
    public static let watchdogKills = "brig_watchdog_kills_total"
    public static let sessions = "brig_sessions_active"

    let factory: any MetricsFactory

    init(factory: (any MetricsFactory)?) {
        self.factory = factory ?? MetricsSystem.factory
    }

    func count(_ label: String, _ dimensions: [(String, String)] = []) {
        Counter(label: label, dimensions: dimensions, factory: factory).increment()
    }

    func set(_ label: String, _ value: Int, _ dimensions: [(String, String)] = []) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }

    func time(_ label: String, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000
        Timer(label: label, dimensions: [], factory: factory).recordNanoseconds(max(0, nanoseconds))
    }
}

extension EngineMetrics {
    /// Histogram buckets for the three timers, for `PrometheusMetricsFactory.durationHistogramBuckets`: queue
    /// waits from milliseconds to minutes, setups around brig's ~10 ms launch, runs up to the 24 h wall limit.
    public static let durationBuckets: [String: [Duration]] = [
        queueWait: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                    .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300)],
        setup: [.milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30)],
        run: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1),
              .seconds(5), .seconds(10), .seconds(60), .seconds(600), .seconds(3600)],
    ]
}
