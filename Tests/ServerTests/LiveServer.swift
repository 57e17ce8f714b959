import API
import Engine
import Foundation
import Logging
import Server

/// Runs a real `BrigServer` for the duration of `body` and stops it afterwards, also when `body` throws.
enum LiveServer {
    struct Listeners: Sendable {
        var socketPath: String
        var tcpPort: Int?
    }

    static func withRunning<Value: Sendable>(
        _ configuration: ServerConfiguration, service: some JobService, sessions: FakeSessionService = FakeSessionService(),
        admin: (any AdminService)? = nil,
        _ body: @Sendable (Listeners) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "brig.server.live-tests")
        logger.logLevel = .error
        let server = BrigServer(
            configuration: configuration, service: service, sessions: sessions, admin: admin, metrics: MetricsBootstrap.registry, logger: logger)
        let expected = configuration.testListener == nil ? 1 : 2
        let (addresses, continuation) = AsyncStream<ListenerAddress>.makeStream()
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await server.run(onListening: { continuation.yield($0) })
                return nil
            }
            var listeners = Listeners(socketPath: configuration.socketPath)
            var seen = 0
            for await address in addresses {
                if case .tcp(_, let port) = address { listeners.tcpPort = port }
                seen += 1
                if seen == expected { break }
            }
            guard seen == expected else {
                // The server stopped before listening: its error surfaces here.
                while let _ = try await group.next() {}
                throw LiveServerError.stoppedBeforeListening
            }
            do {
                let value = try await body(listeners)
                group.cancelAll()
                while let _ = try await group.next() {}
                return value
            } catch {
                group.cancelAll()
                while let _ = try? await group.next() {}
                throw error
            }
        }
    }

    enum LiveServerError: Error {
        case stoppedBeforeListening
    }
}
