import CoreMetrics
import Prometheus

/// swift-metrics backed by one Prometheus registry for the whole process: `MetricsSystem.bootstrap` may run
/// only once, so every caller (`brig serve`, tests) goes through `registry`, which bootstraps on first use.
public enum MetricsBootstrap {
    /// Histogram buckets in seconds for the engine's timings: queue waits run to minutes, set-up is
    /// milliseconds, runs are seconds.
    static let buckets: [String: [Double]] = [
        "brig_queue_wait_seconds": [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
        "brig_setup_seconds": [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
        "brig_run_seconds": [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    ]

    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        for (label, seconds) in buckets {
            factory.durationHistogramBuckets[label] = seconds.map { .nanoseconds(Int64(($0 * 1e9).rounded())) }
            factory.valueHistogramBuckets[label] = seconds
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}
