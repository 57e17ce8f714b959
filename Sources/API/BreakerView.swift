import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One language's circuit breaker: "closed" (taking jobs), "open" (503 with `reason`), "half_open" (one probe
/// decides).
public struct BreakerView: Sendable, Codable, Equatable {
    public var language: String
    public var state: String
    public var consecutiveFailures: Int
    public var reason: String?
    public var changedAt: Date?

    public init(language: String, state: String, consecutiveFailures: Int, reason: String?, changedAt: Date?) {
        self.language = language
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.reason = reason
        self.changedAt = changedAt
    }

    enum CodingKeys: String, CodingKey {
        case language, state, reason
        case consecutiveFailures = "consecutive_failures", changedAt = "changed_at"
    }
}
