import API
import Catalog
import DaemonClient
import Engine
import Foundation
import Logging
import Server
import Synchronization

/// What `brig serve` runs beside the engine and the server for operators: the audit log, the event hooks, and
/// systemd's notify socket and watchdog.
final class ServeOperations: Sendable {
    let audit: AuditLog?
    let hooks: EventHookRunner?
    let notifier: SystemdNotifier?
    let logger: Logger
    private let watchdog = Mutex<SystemdWatchdog?>(nil)

    /// The audit log at `settings.audit_log` or `<state dir>/audit.log`; hooks from `[hooks]`; systemd from the
    /// environment. A log that cannot be opened is a start-up failure: actions must not go unrecorded.
    init(settings: DaemonSettings, stateDirectory: String, logger: Logger) throws(ServerError) {
        self.logger = logger
        let audit = try AuditLog(path: settings.auditLog ?? "\(stateDirectory)/audit.log", logger: logger)
        self.audit = audit
        let configuration = Self.hookConfiguration(settings.hooks)
        hooks = configuration.isEmpty ? nil : EventHookRunner(configuration: configuration, audit: audit, logger: logger)
        notifier = SystemdNotifier()
    }

    static func hookConfiguration(_ settings: HookSettings?) -> EventHookConfiguration {
        var configuration = EventHookConfiguration()
        guard let settings else { return configuration }
        for (name, paths) in settings.commands {
            // DaemonSettings accepted only known names; a name the engine does not know (yet) is skipped.
            guard let kind = EngineEvent.Kind(rawValue: name) else { continue }
            configuration.commands[kind] = paths
        }
        if let timeout = settings.timeout { configuration.timeout = timeout }
        if let rate = settings.rateLimit {
            configuration.runsPerPeriod = rate.runs
            configuration.period = rate.period
        }
        return configuration
    }

    /// Feeds engine events to the hooks and tells systemd what state brig is in; returns at once.
    func watch(_ admin: any AdminService) {
        let hooks = self.hooks, notifier = self.notifier, logger = self.logger
        Task.detached {
            for await event in admin.events() {
                logger.info("event", metadata: ["kind": "\(event.kind.rawValue)", "detail": "\(AuditRedaction.redact(event.detail))"])
                hooks?.handle(event)
                if let status = Self.systemdStatus(for: event) { notifier?.send("STATUS=\(status)") }
            }
        }
    }

    static func systemdStatus(for event: EngineEvent) -> String? {
        switch event.kind {
        case .drain: "draining: new jobs get 503"
        case .resume: "serving"
        case .emergencyStop: "emergency stop: no work taken until resume"
        case .readinessLost: "not ready: " + (event.detail["reason"] ?? "see /readyz")
        case .readinessRegained: "serving"
        default: nil
        }
    }

    /// READY=1 once the socket accepts connections, then the watchdog (if systemd asked for one), which pings
    /// only while GET /healthz over that socket answers.
    func listening(on socket: String) {
        ExecutableCodeResidency.trim()
        guard let notifier else { return }
        notifier.send("READY=1\nSTATUS=serving on \(socket)")
        let watchdog = SystemdWatchdog(notifier: notifier) { [logger] in
            var client = UnixHTTPClient(socketPath: socket)
            // Answer within one ping interval, or the ping is missed.
            let (seconds, attoseconds) = (notifier.watchdogInterval ?? .seconds(1)).components
            client.answerTimeout = Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            do throws(ClientError) {
                _ = try client.send("GET", "/healthz")
                return true
            } catch {
                logger.warning("watchdog: the daemon does not answer on its socket", metadata: ["reason": "\(error.message)"])
                return false
            }
        }
        watchdog?.start()
        self.watchdog.withLock { $0 = watchdog }
    }

    func stopping() {
        notifier?.send("STOPPING=1\nSTATUS=draining: stopping")
    }

    func reloadedBySignal(_ report: ReloadReport) {
        audit?.record(AuditEntry(
            type: "admin", action: "reload", result: "ok",
            message: "SIGHUP: profiles: \(report.profiles.joined(separator: ", ")); languages: \(report.languages.joined(separator: ", "))"
                + (report.errors.isEmpty ? "" : "; \(report.errors.count) errors"),
            detail: report.errors.isEmpty ? ["signal": "SIGHUP"] : ["signal": "SIGHUP", "errors": report.errors.joined(separator: "; ")]))
    }

    /// Gives running hooks up to their timeout to finish (an emergency stop's page should go out).
    func finish() {
        watchdog.withLock { $0 }?.stop()
        if let hooks, !hooks.waitUntilIdle(timeout: hooks.configuration.timeout + .seconds(1)) {
            logger.warning("hooks still running at exit", metadata: ["count": "\(hooks.runsInFlight)"])
        }
    }
}
