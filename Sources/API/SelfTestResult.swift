import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

public struct SelfTestResult: Sendable, Codable, Equatable {
    public var language: String
    public var passed: Bool
    public var at: Date
    public var durationMilliseconds: Int
    /// Why it failed (status, expected vs. actual output), nil when it passed.
    public var message: String?

    public init(language: String, passed: Bool, at: Date, durationMilliseconds: Int, message: String?) {
        self.language = language
        self.passed = passed
        self.at = at
        self.durationMilliseconds = durationMilliseconds
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case language, passed, at, message, durationMilliseconds = "duration_ms"
    }
}
