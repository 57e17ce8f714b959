import CoreMetrics
import Engine
import Prometheus

/// swift-metrics backed by one Prometheus registry for the whole process: `MetricsSystem.bootstrap` may run
/// only once, so every caller (`brig serve`, tests) goes through `registry`, which bootstraps on first use.
public enum MetricsBootstrap {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        for (label, buckets) in EngineMetrics.durationBuckets { factory.durationHistogramBuckets[label] = buckets }
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}
