/// What the HTTP layer asks of the session engine. Every method checks `peer`: operators see every session,
/// other peers only their own (others' are `not_found`). Session and step ids are the API's ("s_…", "st_…").
public protocol SessionService: Sendable {
    func createSession(_ request: SessionRequest, peer: Peer) async throws(APIError) -> SessionView
    func session(_ id: String, peer: Peer) async throws(APIError) -> SessionView
    func sessions(_ query: SessionQuery, peer: Peer) async throws(APIError) -> SessionPage
    /// Kills its processes, removes its workspace; state `ended`, reason "deleted". An ended one is returned as is.
    func endSession(_ id: String, peer: Peer) async throws(APIError) -> SessionView

    /// Starts a step; returns it running (or finished, when `request.waits`).
    func exec(_ request: ExecRequest, session: String, peer: Peer) async throws(APIError) -> StepView
    func steps(session: String, peer: Peer) async throws(APIError) -> StepList
    func step(_ step: String, session: String, peer: Peer) async throws(APIError) -> StepView
    func output(step: String, session: String, peer: Peer) async throws(APIError) -> StepOutput
    /// "state", "stdout", "stderr" and finally "end" (the StepView).
    func events(step: String, session: String, peer: Peer) async throws(APIError) -> AsyncStream<JobEvent>
    func signal(_ signal: Int32, step: String, session: String, peer: Peer) async throws(APIError) -> StepView
    func input(_ input: StepInput, step: String, session: String, peer: Peer) async throws(APIError) -> StepView
    /// SIGKILL; the step ends `cancelled`.
    func cancel(step: String, session: String, peer: Peer) async throws(APIError) -> StepView

    func writeFile(_ path: String, bytes: [UInt8], mode: UInt32?, session: String, peer: Peer) async throws(APIError) -> FileEntry
    func readFile(_ path: String, session: String, peer: Peer) async throws(APIError) -> SessionFile
    /// The entries under `path` ("" is /work).
    func listFiles(_ path: String, recursive: Bool, session: String, peer: Peer) async throws(APIError) -> FileListing
    func deleteFile(_ path: String, recursive: Bool, session: String, peer: Peer) async throws(APIError)
    /// A tar of /work.
    func archive(session: String, peer: Peer) async throws(APIError) -> [UInt8]
    /// Unpacks a tar into /work.
    func extractArchive(_ bytes: [UInt8], session: String, peer: Peer) async throws(APIError) -> ArchiveReport
}
