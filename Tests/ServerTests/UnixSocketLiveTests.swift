import API
import Engine
import Foundation
import NIOPosix
import Server
import Testing

@Suite("Server on a real Unix socket")
struct UnixSocketLiveTests {
    @Test func theSocketBelongsToTheConfiguredGroup() async throws {
        let directory = try TemporaryDirectory()
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock", socketGroup: 60999)
        try await LiveServer.withRunning(configuration, service: FakeJobService()) { listeners in
            var info = stat()
            #expect(lstat(listeners.socketPath, &info) == 0)
            #expect(info.st_gid == 60999)
            #expect(info.st_mode & 0o777 == 0o660)
        }
    }

    @Test func answersOnTheSocketWithMode0660AndSeesThePeerCredentials() async throws {
        let directory = try TemporaryDirectory()
        let socketPath = directory.path + "/brig.sock"
        let service = FakeJobService()
        let configuration = ServerConfiguration(socketPath: socketPath, operatorUIDs: [getuid()])
        try await LiveServer.withRunning(configuration, service: service) { listeners in
            var info = stat()
            #expect(lstat(listeners.socketPath, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o777 == 0o660)

            let answer = try await UnixSocketClient.exchange(
                "GET /v1/jobs/job-5 HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.contains("\"id\":\"job-5\""))
        }
        let calls = await service.calls
        #expect(calls.count == 1)
        let peer = try #require(calls.first?.peer)
        #expect(peer.uid == getuid())
        #expect(peer.gid == getgid())
        #expect(peer.pid == getpid())
        #expect(peer.isOperator)
        #expect(access(socketPath, F_OK) != 0, "the socket file is removed at shutdown")
    }

    @Test func jobRoutesRunOnTheEventLoopAndSessionRoutesOffIt() async throws {
        let directory = try TemporaryDirectory()
        let service = FakeJobService()
        let sessions = FakeSessionService()
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock")
        try await LiveServer.withRunning(configuration, service: service, sessions: sessions) { listeners in
            for target in ["/v1/jobs/job-5", "/v1/sessions/s_fake"] {
                let answer = try await UnixSocketClient.exchange(
                    "GET \(target) HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
                #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(target): \(answer.prefix(200))")
            }
        }
        // The test's own task runs on Swift's global pool, so only the server's executor puts a call on a loop.
        #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil)
        #expect(await service.callsOnEventLoop == [true], "a job lookup runs where its connection's I/O is done")
        #expect(sessions.sessionCallsOnEventLoop.withLock { $0 } == [false], "a session route may block: not on the loop")
    }

    @Test func aPeerOutsideTheOperatorListsIsNotAnOperatorUnlessRoot() async throws {
        let directory = try TemporaryDirectory()
        let service = FakeJobService()
        // The test's own uid is the only way in; with no lists it is an operator only when it is root.
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock")
        try await LiveServer.withRunning(configuration, service: service) { listeners in
            let answer = try await UnixSocketClient.exchange(
                "DELETE /v1/jobs/job-6 HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
        #expect(await service.calls.first?.peer?.isOperator == (getuid() == 0))
    }

    @Test func badInputOverTheSocketGetsJSONErrorsAndTheServerKeepsServing() async throws {
        let directory = try TemporaryDirectory()
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock", maxRequestBodyBytes: 64)
        try await LiveServer.withRunning(configuration, service: FakeJobService()) { listeners in
            let large = String(repeating: "x", count: 100)
            let tooLarge = try await UnixSocketClient.exchange(
                "POST /v1/jobs HTTP/1.1\r\nHost: brig\r\nContent-Type: application/json\r\nContent-Length: \(large.utf8.count)\r\nConnection: close\r\n\r\n\(large)",
                at: listeners.socketPath)
            #expect(tooLarge.hasPrefix("HTTP/1.1 413 "))
            #expect(tooLarge.contains("\"code\":\"body_too_large\""))

            let malformed = try await UnixSocketClient.exchange(
                "POST /v1/jobs HTTP/1.1\r\nHost: brig\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{oops",
                at: listeners.socketPath)
            #expect(malformed.hasPrefix("HTTP/1.1 400 "))
            #expect(malformed.contains("\"code\":\"invalid_json\""))

            let health = try await UnixSocketClient.exchange(
                "GET /healthz HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
            #expect(health.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test func theEventStreamIsChunkedServerSentEvents() async throws {
        let directory = try TemporaryDirectory()
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock")
        try await LiveServer.withRunning(configuration, service: FakeJobService()) { listeners in
            let answer = try await UnixSocketClient.exchange(
                "GET /v1/jobs/job-1/events HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.lowercased().contains("content-type: text/event-stream\r\n"))
            #expect(answer.contains("event: state\ndata: {\"status\":\"running\"}\n\n"))
            #expect(answer.contains("event: end\ndata: "))
        }
    }

    /// Each event reaches the client as soon as the service yields it, not when the stream ends.
    @Test func eventsAreFlushedAsTheyCome() async throws {
        let directory = try TemporaryDirectory()
        let (stream, feed) = AsyncStream<JobEvent>.makeStream()
        defer { feed.finish() }
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock")
        try await LiveServer.withRunning(configuration, service: FakeJobService(liveEvents: stream)) { listeners in
            feed.yield(JobEvent(kind: "stdout", data: #"{"step":"run","text":"first"}"#))
            let (head, descriptor) = try await UnixSocketClient.send(
                "GET /v1/jobs/job-1/events HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n",
                at: listeners.socketPath, readUntil: "\"first\"}\n\n")
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(!head.contains("event: end"))
            feed.yield(JobEvent(kind: "end", data: #"{"id":"job-1","status":"ok"}"#))
            let rest = try await UnixSocketClient.readToEnd(descriptor)
            #expect(rest.contains("event: end\ndata: {\"id\":\"job-1\",\"status\":\"ok\"}\n\n"))
        }
    }

    @Test func aStaleSocketIsReplaced() async throws {
        let directory = try TemporaryDirectory()
        let socketPath = directory.path + "/brig.sock"
        // A socket file nobody listens on, as a killed daemon leaves behind.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(stale)
        try #require(bound == 0)
        try await LiveServer.withRunning(ServerConfiguration(socketPath: socketPath), service: FakeJobService()) { listeners in
            let answer = try await UnixSocketClient.exchange(
                "GET /healthz HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test func aSecondServerOnTheSameSocketIsRefusedAndTheFirstKeepsServing() async throws {
        let directory = try TemporaryDirectory()
        let configuration = ServerConfiguration(socketPath: directory.path + "/brig.sock")
        try await LiveServer.withRunning(configuration, service: FakeJobService()) { listeners in
            let second = BrigServer(configuration: configuration, service: FakeJobService(), logger: .init(label: "second"))
            await #expect(throws: ServerError("socket_in_use", "another daemon is answering on \(listeners.socketPath); stop it first or choose another socket path")) {
                try await second.run()
            }
            let answer = try await UnixSocketClient.exchange(
                "GET /healthz HTTP/1.1\r\nHost: brig\r\nConnection: close\r\n\r\n", at: listeners.socketPath)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test func aPathThatIsNotASocketIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/brig.sock"
        try Data("not a socket".utf8).write(to: URL(fileURLWithPath: path))
        let server = BrigServer(
            configuration: ServerConfiguration(socketPath: path), service: FakeJobService(), logger: .init(label: "t"))
        await #expect(throws: ServerError.self) { try await server.run() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a socket", "the file is left alone")
    }
}
