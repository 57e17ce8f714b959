/// `GET /readyz`: 200 when `ready`, else 503 with `reasons` ("draining", "disk: 80 MiB free in /var/lib/brig,
/// below 512 MiB", "store: not writable: ...", "cgroup: cannot create ...", "queue: full", "no language available").
public struct Readiness: Sendable, Codable, Equatable {
    public var ready: Bool
    public var reasons: [String]

    public init(ready: Bool, reasons: [String]) {
        self.ready = ready
        self.reasons = reasons
    }
}
