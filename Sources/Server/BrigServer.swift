import API
import Engine
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

/// brig's HTTP/1.1 + JSON API on a Unix socket (and, in tests, a loopback TCP listener), in front of a
/// `JobService`. `run()` serves until its task is cancelled or a service group shuts it down gracefully:
/// listeners stop accepting, open requests get `shutdownGracePeriod` to finish, then the socket file goes.
public struct BrigServer: Service {
    public let configuration: ServerConfiguration
    let service: any JobService
    let sessions: (any SessionService)?
    let logger: Logger
    let admin: (any AdminService)?
    let metrics: PrometheusCollectorRegistry?
    let audit: AuditLog?

    /// `admin` answers the probes and the admin actions (503 without it), `metrics` is what `/metrics` shows,
    /// `sessions` answers /v1/sessions (404 without it), `audit` records every admin action.
    public init(
        configuration: ServerConfiguration, service: any JobService, sessions: (any SessionService)? = nil, admin: (any AdminService)? = nil,
        metrics: PrometheusCollectorRegistry? = nil, audit: AuditLog? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.service = service
        self.sessions = sessions
        self.admin = admin
        self.metrics = metrics
        self.audit = audit
        self.logger = logger
    }

    /// The router with every route and middleware; `makeApplication` serves it.
    public func makeRouter() -> Router<BrigRequestContext> {
        let router = Router(context: BrigRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: APIErrorMiddleware())
        router.add(
            middleware: PeerMiddleware(
                identification: PeerIdentification(
                    policy: OperatorPolicy(uids: configuration.operatorUIDs, gids: configuration.operatorGIDs),
                    testPeer: configuration.testListener?.peer)))
        APIRoutes(
            service: service, bodyReader: JSONBodyReader(maxBytes: configuration.maxRequestBodyBytes)
        ).register(on: router)
        let mayBlock = router.group().add(middleware: GlobalExecutorMiddleware())
        SessionRoutes(service: sessions, bodyReader: JSONBodyReader(maxBytes: configuration.maxRequestBodyBytes)).register(on: mayBlock)
        AdminRoutes(service: service, admin: admin, metrics: metrics, audit: audit).register(on: mayBlock)
        return router
    }

    /// One listener's application (the Unix socket unless `address` says otherwise); tests drive it with
    /// `app.test(.router)`.
    public func makeApplication(
        address: BindAddress? = nil, eventLoopGroup: (any EventLoopGroup)? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: address ?? .unixDomainSocket(path: configuration.socketPath), serverName: "brig"),
            onServerRunning: onServerRunning,
            eventLoopGroupProvider: eventLoopGroup.map { .shared($0) } ?? .singleton,
            logger: logger)
    }

    public func run() async throws {
        try await run(onListening: { _ in })
    }

    /// Serves until cancelled or shut down gracefully; `onListening` is called once per bound listener.
    public func run(onListening: @escaping @Sendable (ListenerAddress) async -> Void) async throws {
        let socketFile = SocketFile(path: configuration.socketPath)
        try socketFile.clearStale()
        let boundSocket = NIOLockedValueBox<(device: UInt64, inode: UInt64)?>(nil)
        let startupFailure = NIOLockedValueBox<ServerError?>(nil)
        defer { socketFile.remove(ifIdentity: boundSocket.withLockedValue { $0 }) }

        let mode = configuration.socketMode
        let socketGroup = configuration.socketGroup
        let socketPath = configuration.socketPath
        let groupBox = NIOLockedValueBox<ServiceGroup?>(nil)
        let logger = self.logger
        // One event loop does the listeners' I/O and runs the server's tasks (see EventLoopTaskExecutor).
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(eventLoopGroup.next())
        var services: [any Service] = [
            makeApplication(eventLoopGroup: eventLoopGroup) { _ in
                boundSocket.withLockedValue { $0 = socketFile.identity() }
                do throws(ServerError) {
                    try socketFile.setMode(mode, group: socketGroup)
                } catch {
                    startupFailure.withLockedValue { $0 = error }
                    await groupBox.withLockedValue { $0 }?.triggerGracefulShutdown()
                    return
                }
                logger.info("listening", metadata: ["socket.path": "\(socketPath)"])
                await onListening(.unixSocket(path: socketPath))
            }
        ]
        if let test = configuration.testListener {
            services.append(
                makeApplication(address: .hostname("127.0.0.1", port: test.port), eventLoopGroup: eventLoopGroup) { channel in
                    let port = channel.localAddress?.port ?? test.port
                    logger.info("listening for tests", metadata: ["tcp.port": "\(port)"])
                    await onListening(.tcp(host: "127.0.0.1", port: port))
                })
        }
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        groupBox.withLockedValue { $0 = group }

        // The group runs in its own task so that cancelling ours becomes a graceful shutdown (which the group
        // escalates to cancellation after the grace period) rather than dropping open requests at once.
        let running = Task(executorPreference: executor) { try await group.run() }
        let outcome: Result<Void, any Error>
        do {
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    try await running.value
                } onGracefulShutdown: {
                    Task { await group.triggerGracefulShutdown() }
                }
            } onCancel: {
                Task { await group.triggerGracefulShutdown() }
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try await eventLoopGroup.shutdownGracefully()
        try outcome.get()
        if let failure = startupFailure.withLockedValue({ $0 }) {
            throw failure
        }
    }
}
