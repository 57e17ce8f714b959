import API
import CoreMetrics
import Engine
import Prometheus

/// swift-metrics backed by one Prometheus registry for the whole process: `MetricsSystem.bootstrap` may run
/// only once, so every caller (`brig serve`, tests) goes through `registry`, which bootstraps on first use.
public enum MetricsBootstrap {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(factory(for: registry))
        return registry
    }()

    /// A factory recording into `registry` with the engine's histogram buckets (tests make private ones, so
    /// their figures are not shared with the engines running beside them).
    public static func factory(for registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        for (label, buckets) in EngineMetrics.durationBuckets { factory.durationHistogramBuckets[label] = buckets }
        return factory
    }
}
