/// What the HTTP layer asks of the engine. Every method checks `peer`: operators see everything, other
/// peers only their own jobs (others' are `not_found`, never `forbidden`, so ids do not leak).
public protocol JobService: Sendable {
    /// Validates, stores (durably, before it returns) and queues a job; returns it as queued.
    func submit(_ request: JobRequest, peer: Peer) async throws(APIError) -> JobView
    /// Submits a job and waits for its end (a request's `"wait": true`).
    func run(_ request: JobRequest, peer: Peer) async throws(APIError) -> JobView
    /// Waits until the job is terminal and returns it.
    func wait(for id: String, peer: Peer) async throws(APIError) -> JobView
    func job(_ id: String, peer: Peer) async throws(APIError) -> JobView
    func list(_ query: JobQuery, peer: Peer) async throws(APIError) -> JobPage
    /// Cancels a queued or running job (a terminal one is returned unchanged).
    func cancel(_ id: String, peer: Peer) async throws(APIError) -> JobView
    /// The job's events from now on (a terminal job yields its "end" event at once); finishes after "end".
    func events(_ id: String, peer: Peer) async throws(APIError) -> AsyncStream<JobEvent>
    func languages() async -> [LanguageView]
    func profiles() async -> [ProfileView]
    /// Reloads profiles and images (operators only).
    func reload(peer: Peer) async throws(APIError) -> ReloadReport
}

extension JobService {
    public func run(_ request: JobRequest, peer: Peer) async throws(APIError) -> JobView {
        let queued = try await submit(request, peer: peer)
        return try await wait(for: queued.id, peer: peer)
    }
}
