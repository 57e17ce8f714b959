/// What the runbook layer asks of the engine: probes, the health report and the admin actions. The actions
/// check `peer` themselves (operators only: `forbidden`, 403, for anyone else — admin routes are not ids, so
/// nothing leaks by saying so).
public protocol AdminService: Sendable {
    /// Whether brig can take work now; the reasons when it cannot.
    func readiness() async -> Readiness
    /// Everything an operator needs to judge brig's state, as `GET /v1/admin/health` shows it.
    func health() async -> HealthReport
    /// Stops admitting work (503 `draining`); running and queued jobs go on.
    func drain(peer: Peer) async throws(APIError) -> AdminActionReport
    /// Takes work again after a drain or an emergency stop.
    func resume(peer: Peer) async throws(APIError) -> AdminActionReport
    /// Kills every running sandbox (cgroup-wide, within 1 s), refuses new work until `resume`, keeps all state
    /// (the killed jobs end `cancelled` with the reason; queued jobs stay queued).
    func emergencyStop(peer: Peer) async throws(APIError) -> AdminActionReport
    /// Removes what crashed earlier runs left behind and says what went.
    func reap(peer: Peer) async throws(APIError) -> ReapReport
    /// Runs every language's hello world now and feeds the breakers.
    func selfTest(peer: Peer) async throws(APIError) -> SelfTestReport
    /// Every engine event from now on, for the event hooks and the audit log.
    func events() -> AsyncStream<EngineEvent>
}
