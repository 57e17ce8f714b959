import API
import ArgumentParser
import BrigCommandLine
import Catalog
import DaemonClient
import Dispatch
import Engine
import Foundation
import Logging
import Sandbox
import Server
import Store
import Synchronization

/// `brig serve`: the daemon. Code jobs over a Unix socket, results in SQLite.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: code jobs over a local Unix socket, results in SQLite.",
        discussion: """
            From a checkout the socket and the state live under .brig/ in the checkout; installed, the socket is \
            /run/brig/brig.sock and the state /var/lib/brig ($BRIG_SOCKET and $BRIG_STATE_DIR override both).

            Signals: SIGTERM or SIGINT stop taking jobs, let running ones finish for --grace, then cancel them; \
            queued jobs stay in the store and run at the next start. SIGHUP reloads profiles and images (a broken \
            file keeps its previous version live).

            Example:
              brig serve &
              curl --unix-socket .brig/brig.sock -d '{"language":"python","source":"print(42)","wait":true}' http://brig/v1/jobs
            """
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: "A TOML file with the daemon's settings (socket, state_dir, runtime_dir, catalog, slots, queue, operator_uids, operator_gids, grace, max_body, retention_age, retention_count); flags win over it.")
    var config: String?

    @Option(help: "The Unix socket to listen on (mode 0660). Default: \(DefaultPaths.socket)")
    var socket: String?

    @Option(name: .customLong("socket-group"), help: "A gid whose members may connect to the socket (it is 0660); default: the daemon's group.")
    var socketGroup: UInt32?

    @Option(name: .customLong("state-dir"), help: "Where the job database lives. Default: \(DefaultPaths.stateDirectory)")
    var stateDirectory: String?

    @Option(name: .customLong("runtime-dir"), help: "Where slot locks and workspaces live. Default: $BRIG_RUNTIME_DIR or /run/brig")
    var runtimeDirectory: String?

    @Option(help: "Sandboxes running at once. Default: the number of cores.")
    var slots: Int?

    @Option(help: "Jobs waiting at most; beyond that a submission gets 429 and Retry-After. Default: 1000")
    var queue: Int?

    @Option(name: .customLong("operator-uid"), help: "A uid (besides root) that may see and manage every job; repeatable.")
    var operatorUIDs: [UInt32] = []

    @Option(name: .customLong("operator-gid"), help: "A gid whose members may see and manage every job; repeatable.")
    var operatorGIDs: [UInt32] = []

    @Option(help: "How long running jobs may finish after SIGTERM before they are cancelled. Default: 30s")
    var grace: String?

    @Option(name: .customLong("max-body"), help: "The largest request body accepted; larger gets 413. Default: 4MiB")
    var maxBody: String?

    @Option(name: .customLong("test-tcp-port"), help: .hidden)
    var testTCPPort: Int?

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "brig")
        // Before the engine exists: metric handles made earlier would stay no-ops.
        let metrics = MetricsBootstrap.registry
        // The loopback TCP listener gives every local peer operator rights: for tests, and only when asked twice.
        if testTCPPort != nil && ProcessEnvironment.value(of: "BRIG_ALLOW_TEST_LISTENER") != "1" {
            RunExitCode.usage.exit(saying: "--test-tcp-port is for tests only and needs BRIG_ALLOW_TEST_LISTENER=1")
        }
        let settings: DaemonSettings
        let graceDuration: Duration
        let bodyLimit: UInt64
        do {
            settings = try config.map { path throws(CatalogError) in try DaemonSettings(contentsOf: path) } ?? DaemonSettings()
            graceDuration = try grace.map { text throws(ValueFormatError) in try DurationText(parsing: text).duration } ?? settings.grace ?? .seconds(30)
            bodyLimit = try maxBody.map { text throws(ValueFormatError) in try ByteSize(parsing: text).bytes } ?? settings.maxBodyBytes ?? 4 << 20
        } catch let error as CatalogError {
            RunExitCode.configuration.exit(saying: error.description)
        } catch let error as ValueFormatError {
            RunExitCode.usage.exit(saying: error.reason)
        } catch {
            RunExitCode.usage.exit(saying: "\(error)")
        }
        let socket = self.socket ?? settings.socket ?? DefaultPaths.socket
        let stateDirectory = self.stateDirectory ?? settings.stateDirectory ?? DefaultPaths.stateDirectory
        let runtimeDirectory = self.runtimeDirectory ?? settings.runtimeDirectory
            ?? ProcessEnvironment.value(of: "BRIG_RUNTIME_DIR") ?? "/run/brig"
        let slots = self.slots ?? settings.slots ?? ProcessInfo.processInfo.activeProcessorCount
        var engineConfiguration = EngineConfiguration(slots: slots, queueCapacity: queue ?? settings.queue ?? 1000)
        if let age = settings.retentionAge { engineConfiguration.retentionAge = age }
        if let count = settings.retentionCount { engineConfiguration.retentionCount = count }
        engineConfiguration.stateDirectory = stateDirectory
        if let bytes = settings.minimumFreeDiskBytes { engineConfiguration.minimumFreeDiskBytes = Int64(clamping: bytes) }
        if let threshold = settings.breakerThreshold { engineConfiguration.breakerThreshold = threshold }
        if let coolDown = settings.breakerCoolDown { engineConfiguration.breakerCoolDown = coolDown }
        if let interval = settings.selfTestInterval { engineConfiguration.selfTestInterval = interval == .zero ? nil : interval }
        if let grace = settings.watchdogGrace { engineConfiguration.watchdogGrace = grace }
        let operatorUIDs = self.operatorUIDs + (settings.operatorUIDs ?? [])
        let operatorGIDs = self.operatorGIDs + (settings.operatorGIDs ?? [])
        var catalogOptions = self.catalogOptions
        if catalogOptions.catalog == nil { catalogOptions.catalog = settings.catalog }
        let resolvedCatalog = catalogOptions
        let engine: JobEngine
        let sessions: SessionEngine
        let operations: ServeOperations
        do throws(any Error) {
            let cgroups = try CgroupDetector.detect()
            for placement in cgroups.placements { logger.info("cgroup", metadata: ["placement": "\(placement)"]) }
            let located = try catalogOptions.resolve()
            logger.info("catalog", metadata: ["location": "\(located.location)"])
            let seccomp = try SeccompPolicy.default.compile()
            let launcher = try SandboxLauncher(runtimeDirectory: runtimeDirectory, cgroups: cgroups, seccomp: seccomp)
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            operations = try ServeOperations(settings: settings, stateDirectory: stateDirectory, logger: logger)
            let store = try JobStore(path: "\(stateDirectory)/brig.sqlite")
            engine = try JobEngine(
                launcher: launcher, store: store,
                configuration: engineConfiguration, logger: logger,
                loadCatalog: { () throws(CatalogError) -> OperatorCatalog in try resolvedCatalog.resolve() })
            try engine.start()
            sessions = SessionEngine(jobs: engine, configuration: SessionConfiguration(directory: "\(stateDirectory)/sessions"))
            try sessions.start()
        } catch let error as CatalogError {
            RunExitCode.configuration.exit(saying: error.description)
        } catch let error as ServerError {
            RunExitCode.configuration.exit(saying: error.description)
        } catch let error as SandboxError {
            RunExitCode.forSetup(error).exit(saying: error.description)
        } catch {
            RunExitCode.sandboxFailed.exit(saying: "\(error)")
        }

        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP)
        signal(SIGHUP, SIG_IGN)
        hangup.setEventHandler { operations.reloadedBySignal(engine.reloadCatalog()) }
        hangup.resume()

        let server = BrigServer(
            configuration: ServerConfiguration(
                socketPath: socket, maxRequestBodyBytes: Int(clamping: bodyLimit), operatorUIDs: Set(operatorUIDs),
                operatorGIDs: Set(operatorGIDs),
                testListener: testTCPPort.map { TestListener(port: $0, peer: Peer(uid: 0, gid: 0, pid: 0, isOperator: true)) },
                socketGroup: socketGroup ?? settings.socketGroup),
            service: engine, sessions: sessions, admin: engine, metrics: metrics, audit: operations.audit, logger: logger)
        operations.watch(engine)
        logger.info("serving", metadata: ["socket": "\(socket)", "slots": "\(slots)", "state": "\(stateDirectory)"])
        let serving = Task {
            try await server.run(onListening: { address in
                guard case .unixSocket(let path) = address else { return }
                operations.listening(on: path)
            })
        }

        // Drain first (new jobs get 503, running ones finish or are cancelled after the grace), then close the
        // socket, so that clients waiting on a job still get its result.
        let stopping = Atomic<Bool>(false)
        var stops: [any DispatchSourceSignal] = []
        for stopSignal in [SIGTERM, SIGINT] {
            signal(stopSignal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: stopSignal)
            source.setEventHandler {
                guard !stopping.exchange(true, ordering: .relaxed) else { return }
                logger.info("draining", metadata: ["grace": "\(DurationText(graceDuration))"])
                operations.stopping()
                Thread.detachNewThread {
                    sessions.shutdown()
                    engine.shutdown(grace: graceDuration)
                    serving.cancel()
                }
            }
            source.resume()
            stops.append(source)
        }
        do {
            try await serving.value
        } catch is CancellationError {
        }
        sessions.shutdown()
        engine.shutdown(grace: .zero)
        operations.finish()
        for source in stops + [hangup] { source.cancel() }
        logger.info("stopped")
    }

}
