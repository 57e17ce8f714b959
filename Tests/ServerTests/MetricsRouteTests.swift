import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Metrics
import Server
import Testing

/// `/metrics` with the real Prometheus factory (bootstrapped once per process by `MetricsBootstrap`); the
/// counters are moved through swift-metrics as the engine moves them. Labels are unique per test because the
/// registry is shared by the whole test process.
@Suite("Server metrics")
struct MetricsRouteTests {
    static func scrape() async throws -> (status: HTTPResponse.Status, contentType: String?, text: String) {
        _ = MetricsBootstrap.registry
        return try await RouterHarness.test(admin: nil) { client in
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
        _ = MetricsBootstrap.registry
        let series = #"brig_jobs_total{language="\#(language)",profile="default",status="ok"}"#
        Counter(label: "brig_jobs_total", dimensions: [("language", language), ("profile", "default"), ("status", "ok")]).increment()
        let first = try await Self.scrape()
        #expect(first.status == .ok)
        #expect(first.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(Self.value(first.text, series) == 1)
        #expect(first.text.contains("# TYPE brig_jobs_total counter\n"))
        Counter(label: "brig_jobs_total", dimensions: [("language", language), ("profile", "default"), ("status", "ok")]).increment(by: 2)
        #expect(Self.value(try await Self.scrape().text, series) == 3)
    }

    @Test func timingsAreHistogramsInSecondsWithTheirBuckets() async throws {
        _ = MetricsBootstrap.registry
        let language = "lang\(getpid())b"
        Metrics.Timer(label: "brig_run_seconds", dimensions: [("language", language)]).recordMilliseconds(1500)
        let text = try await Self.scrape().text
        #expect(text.contains("# TYPE brig_run_seconds histogram\n"))
        #expect(Self.value(text, #"brig_run_seconds_bucket{language="\#(language)",le="1.0"}"#) == 0)
        #expect(Self.value(text, #"brig_run_seconds_bucket{language="\#(language)",le="2.5"}"#) == 1)
        #expect(Self.value(text, #"brig_run_seconds_bucket{language="\#(language)",le="300.0"}"#) == 1)
        #expect(Self.value(text, #"brig_run_seconds_sum{language="\#(language)"}"#) == 1.5)
        #expect(Self.value(text, #"brig_run_seconds_count{language="\#(language)"}"#) == 1)
    }

    @Test func everyLineIsInTheTextFormat() async throws {
        _ = MetricsBootstrap.registry
        Gauge(label: "brig_running_sandboxes").record(2)
        let text = try await Self.scrape().text
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
        _ = MetricsBootstrap.registry
        Counter(label: "brig_timeouts_total").increment()
        Metrics.Timer(label: "brig_queue_wait_seconds").recordMilliseconds(3)
        let text = try await Self.scrape().text
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
