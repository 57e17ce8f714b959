import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Something the engine did or saw that an operator's hooks may act on. `kind` is one of `Kind`'s raw values;
/// `detail` carries the facts as strings ("language", "reason", "job_id", "count", ...).
public struct EngineEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case breakerOpened = "breaker_opened"
        case breakerClosed = "breaker_closed"
        case watchdogKill = "watchdog_kill"
        case readinessLost = "readiness_lost"
        case readinessRegained = "readiness_regained"
        case emergencyStop = "emergency_stop"
        case leftoversReaped = "leftovers_reaped"
        /// A reloaded language failed its self-test and its last known-good manifest is live again.
        case configRolledBack = "config_rolled_back"
        /// Something the engine will not fix by itself (rollbacks rate-limited, store integrity failed, ...).
        case escalation
        case drain
        case resume
    }

    public var kind: Kind
    public var at: Date
    public var detail: [String: String]

    public init(_ kind: Kind, at: Date = Date(), detail: [String: String] = [:]) {
        self.kind = kind
        self.at = at
        self.detail = detail
    }
}
