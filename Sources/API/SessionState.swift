/// Where a session is: `active` until it is deleted (`ended`) or its lifetime or idle time runs out (`expired`).
public enum SessionState: String, Sendable, Codable, CaseIterable {
    case active
    case ended
    case expired
}
