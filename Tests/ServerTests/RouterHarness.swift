import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server

/// Runs requests through the server's router in process (no socket): the peer is the test listener's identity.
enum RouterHarness {
    static let user = Peer(uid: 1000, gid: 1000, pid: 4242, isOperator: false)
    static let admin = Peer(uid: 0, gid: 0, pid: 4243, isOperator: true)

    static func configuration(peer: Peer = user, maxRequestBodyBytes: Int = 1 << 20) -> ServerConfiguration {
        ServerConfiguration(
            socketPath: "/nonexistent/brig.sock", maxRequestBodyBytes: maxRequestBodyBytes,
            testListener: TestListener(peer: peer))
    }

    static func test<Value: Sendable>(
        _ service: FakeJobService, configuration: ServerConfiguration = configuration(),
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "brig.server.tests")
        logger.logLevel = .critical
        let server = BrigServer(configuration: configuration, service: service, sessions: FakeSessionService(), logger: logger)
        return try await server.makeApplication().test(.router, body)
    }

    static func body(_ json: String) -> ByteBuffer {
        ByteBuffer(string: json)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ response: TestResponse) throws -> Value {
        try APIJSON.decoder().decode(type, from: Data(buffer: response.body))
    }

    static func error(_ response: TestResponse) throws -> APIError {
        try decode(APIErrorBody.self, response).error
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]
}
