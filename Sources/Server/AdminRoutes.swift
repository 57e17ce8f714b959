import API
import Engine
import Foundation
import Hummingbird
import Prometheus

/// The runbook's routes: probes (`/readyz`), the health report, Prometheus metrics, and the operator-only
/// actions, each written to the audit log with who asked and how it ended. Without an `AdminService` the probes
/// and actions answer 503 (`/metrics` still answers).
struct AdminRoutes: Sendable {
    let service: any JobService
    let admin: (any AdminService)?
    let metrics: PrometheusCollectorRegistry?
    let audit: AuditLog?

    static let methods: [(path: RouterPath, allowed: [HTTPRequest.Method])] = [
        ("/readyz", [.get]),
        ("/metrics", [.get]),
        ("/v1/admin/health", [.get]),
        ("/v1/admin/drain", [.post]),
        ("/v1/admin/resume", [.post]),
        ("/v1/admin/emergency-stop", [.post]),
        ("/v1/admin/reap", [.post]),
        ("/v1/admin/selftest", [.post]),
        ("/v1/admin/reload", [.post]),
    ]

    /// Prometheus' text exposition format.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: some RouterMethods<BrigRequestContext>) {
        router.get("/readyz") { _, _ in try await readiness() }
        router.get("/metrics") { _, _ in try exposition() }
        router.get("/v1/admin/health") { _, _ in try APIResponse.json(await requireAdmin().health()) }
        router.post("/v1/admin/drain") { _, context in
            try await act("drain", context) { peer throws(APIError) in
                let report = try await requireAdmin().drain(peer: peer)
                return (report, report.message, [:])
            }
        }
        router.post("/v1/admin/resume") { _, context in
            try await act("resume", context) { peer throws(APIError) in
                let report = try await requireAdmin().resume(peer: peer)
                return (report, report.message, [:])
            }
        }
        router.post("/v1/admin/emergency-stop") { _, context in
            try await act("emergency_stop", context) { peer throws(APIError) in
                let report = try await requireAdmin().emergencyStop(peer: peer)
                return (report, report.message, report.killed.map { ["killed": "\($0)"] } ?? [:])
            }
        }
        router.post("/v1/admin/reap") { _, context in
            try await act("reap", context) { peer throws(APIError) in
                let report = try await requireAdmin().reap(peer: peer)
                let message = report.removed.isEmpty ? "nothing to remove" : "removed \(report.removed.count) leftovers"
                return (report, message, ["removed": report.removed.joined(separator: "; ")])
            }
        }
        router.post("/v1/admin/selftest") { _, context in
            try await act("selftest", context) { peer throws(APIError) in
                let report = try await requireAdmin().selfTest(peer: peer)
                let failed = report.results.filter { !$0.passed }.map(\.language)
                let message = failed.isEmpty
                    ? "\(report.results.count) languages passed" : "failed: " + failed.joined(separator: ", ")
                return (report, message, [:])
            }
        }
        router.post("/v1/admin/reload") { _, context in
            try await act("reload", context, operatorsOnly: false) { peer throws(APIError) in
                let report = try await service.reload(peer: peer)
                let message = "profiles: \(report.profiles.joined(separator: ", ")); languages: \(report.languages.joined(separator: ", "))"
                    + (report.errors.isEmpty ? "" : "; \(report.errors.count) errors")
                return (report, message, report.errors.isEmpty ? [:] : ["errors": report.errors.joined(separator: "; ")])
            }
        }
        MethodNotAllowed.register(Self.methods, on: router)
    }

    private func readiness() async throws -> Response {
        guard let admin else {
            return try APIResponse.json(
                Readiness(ready: false, reasons: ["the engine does not report readiness"]), status: .serviceUnavailable)
        }
        let readiness = await admin.readiness()
        return try APIResponse.json(readiness, status: readiness.ready ? .ok : .serviceUnavailable)
    }

    private func exposition() throws(APIError) -> Response {
        guard let metrics else {
            throw APIError("unavailable", "metrics are not collected in this process", httpStatus: 503)
        }
        return Response(
            status: .ok, headers: [.contentType: Self.metricsContentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }

    private func requireAdmin() throws(APIError) -> any AdminService {
        guard let admin else {
            throw APIError("unavailable", "this daemon has no admin service (health, drain, ...) configured", httpStatus: 503)
        }
        return admin
    }

    /// Operators only (403 `forbidden` for anyone else, also audited); the service checks again (for reload it
    /// alone decides, as before the admin routes existed). Every outcome
    /// is audited: "ok" with what happened, "refused" (4xx) or "failed" (5xx) with the error.
    private func act<Report: Encodable & Sendable>(
        _ action: String, _ context: BrigRequestContext, operatorsOnly: Bool = true,
        _ perform: @Sendable (Peer) async throws(APIError) -> (Report, String, [String: String])
    ) async throws -> Response {
        let peer = try context.requirePeer()
        let outcome: (report: Report, message: String, detail: [String: String])
        do throws(APIError) {
            guard peer.isOperator || !operatorsOnly else {
                throw APIError(
                    "forbidden",
                    "only operators may \(action.replacingOccurrences(of: "_", with: " ")) (root, or a configured operator uid or group)",
                    httpStatus: 403)
            }
            outcome = try await perform(peer)
        } catch {
            audit?.record(AuditEntry(
                type: "admin", action: action, peer: peer, result: error.httpStatus < 500 ? "refused" : "failed",
                message: error.message, detail: ["code": error.code, "status": "\(error.httpStatus)"]))
            throw error
        }
        audit?.record(AuditEntry(
            type: "admin", action: action, peer: peer, result: "ok", message: outcome.message, detail: outcome.detail))
        return try APIResponse.json(outcome.report)
    }
}
