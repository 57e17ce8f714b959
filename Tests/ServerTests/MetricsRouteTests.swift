import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Server
import TestSupport
import Testing

/// `/metrics` with the real Prometheus factory, built as `brig serve` builds it; the counters are moved through
/// swift-metrics as the engine moves them. Each test records into a registry of its own: the process-wide one
/// is shared with the engines other suites run at the same time (and Prometheus refuses a family recorded both
/// with and without labels).
@Suite("Server metrics")
struct MetricsRouteTests {
    static func scrape(_ registry: PrometheusCollectorRegistry) async throws -> (status: HTTPResponse.Status, contentType: String?, text: String) {
        try await RouterHarness.test(admin: nil, metrics: registry) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            return (response.status, response.headers[.contentType], String(buffer: response.body))
        }
    }

    /// The sample's value on the line `name{labels} value`.
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func countersMoveAsJobsFinish() async throws {
        let language = "lang\(getpid())a"
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsBootstrap.factory(for: registry)
        let series = #"brig_jobs_total{language="\#(language)",profile="default",status="ok"}"#
        Counter(label: "brig_jobs_total", dimensions: [("language", language), ("profile", "default"), ("status", "ok")], factory: factory).increment()
        let first = try await Self.scrape(registry)
        #expect(first.status == .ok)
        #expect(first.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(Self.value(first.text, series) == 1)
        #expect(first.text.contains("# TYPE brig_jobs_total counter\n"))
        Counter(label: "brig_jobs_total", dimensions: [("language", language), ("profile", "default"), ("status", "ok")], factory: factory).increment(by: 2)
        #expect(Self.value(try await Self.scrape(registry).text, series) == 3)
    }

    @Test func timingsAreHistogramsInSecondsWithTheirBuckets() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsBootstrap.factory(for: registry)
        let language = "lang\(getpid())b"
        Metrics.Timer(label: "brig_run_seconds", dimensions: [("language", language)], factory: factory).recordMilliseconds(1500)
        let text = try await Self.scrape(registry).text
        #expect(text.contains("# TYPE brig_run_seconds histogram\n"))
        #expect(Self.value(text, #"brig_run_seconds_bucket{language="\#(language)",le="1.0"}"#) == 0)
        #expect(Self.value(text, #"brig_run_seconds_bucket{language="\#(language)",le="5.0"}"#) == 1)
        #expect(Self.value(text, #"brig_run_seconds_bucket{language="\#(language)",le="3600.0"}"#) == 1)
        #expect(Self.value(text, #"brig_run_seconds_sum{language="\#(language)"}"#) == 1.5)
        #expect(Self.value(text, #"brig_run_seconds_count{language="\#(language)"}"#) == 1)
    }

    @Test func everyLineIsInTheTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsBootstrap.factory(for: registry)
        Gauge(label: "brig_running_sandboxes", factory: factory).record(2)
        let text = try await Self.scrape(registry).text
        #expect(Self.value(text, "brig_running_sandboxes") == 2)
        let sample = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? [-+0-9.eEInfa]+$"#)
        let type = try Regex(#"^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$"#)
        for line in text.split(separator: "\n") {
            #expect(line.wholeMatch(of: sample) != nil || line.wholeMatch(of: type) != nil || line.hasPrefix("# HELP "), "\(line)")
        }
    }

    static let pythonHasPrometheusClient = PythonProbe.canImport("prometheus_client")

    /// The reference parser (PyPI: prometheus-client) reads the whole exposition.
    @Test(.enabled(if: pythonHasPrometheusClient, "python3 with prometheus_client is not installed"))
    func prometheusOwnParserReadsIt() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsBootstrap.factory(for: registry)
        Counter(label: "brig_timeouts_total", factory: factory).increment()
        Metrics.Timer(label: "brig_queue_wait_seconds", dimensions: [], factory: factory).recordMilliseconds(3)
        let text = try await Self.scrape(registry).text
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            print(json.dumps({f.name: f.type for f in text_string_to_metric_families(sys.stdin.read())}))
            """
        let output = try await PythonProbe.run(script: script, input: text)
        let families = try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
        #expect(families["brig_timeouts"] == "counter")
        #expect(families["brig_queue_wait_seconds"] == "histogram")
    }
}
