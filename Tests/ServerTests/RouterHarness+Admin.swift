import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Server

extension RouterHarness {
    /// The router with an admin service, the process's metrics registry and an audit log (all optional).
    static func test<Value: Sendable>(
        _ service: FakeJobService = FakeJobService(), admin: FakeAdminService?, audit: AuditLog? = nil,
        metrics: PrometheusCollectorRegistry? = MetricsBootstrap.registry, configuration: ServerConfiguration = configuration(),
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let server = BrigServer(
            configuration: configuration, service: service, admin: admin, metrics: metrics, audit: audit, logger: quietLogger)
        return try await server.makeApplication().test(.router, body)
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "brig.server.tests")
        logger.logLevel = .critical
        return logger
    }

    static let operatorConfiguration = configuration(peer: admin)
}
