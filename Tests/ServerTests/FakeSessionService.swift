import API
import Engine
import Foundation
import NIOPosix
import Synchronization

/// A session service that knows one session, "s_fake", with one finished step, "st_fake": enough for the
/// routes and the OpenAPI document to be exercised without sandboxes. Everything else is `not_found`.
final class FakeSessionService: SessionService, @unchecked Sendable {
    static let date = Date(timeIntervalSince1970: 1_800_000_000)
    /// For each `session(_:peer:)` call, whether it ran on an event loop's thread.
    let sessionCallsOnEventLoop = Mutex<[Bool]>([])

    static func sessionView(_ id: String = "s_fake") -> SessionView {
        SessionView(
            id: id, state: .active, image: "host", profile: "default", owner: 0, createdAt: date, lastUsedAt: date,
            expiresAt: date, idleExpiresAt: date, usage: SessionUsage(steps: 1, cpuTimeMs: 3, workspaceBytes: 4096),
            caps: SessionCaps(maxSteps: 1000, cpuTime: "10m", workspace: "64MiB"))
    }

    static func stepView() -> StepView {
        StepView(id: "st_fake", session: "s_fake", index: 1, cmd: ["true"], background: false, status: .ok, createdAt: date)
    }

    private func known(_ session: String, _ step: String? = nil) throws(APIError) {
        guard session == "s_fake" else { throw APIError.notFound("session \(session)") }
        if let step, step != "st_fake" { throw APIError.notFound("step \(step)") }
    }

    func createSession(_ request: SessionRequest, peer: Peer) async throws(APIError) -> SessionView { Self.sessionView() }
    func session(_ id: String, peer: Peer) async throws(APIError) -> SessionView {
        sessionCallsOnEventLoop.withLock { $0.append(MultiThreadedEventLoopGroup.currentEventLoop != nil) }
        try known(id)
        return Self.sessionView()
    }
    func sessions(_ query: SessionQuery, peer: Peer) async throws(APIError) -> SessionPage {
        SessionPage(sessions: [Self.sessionView()], next: nil)
    }
    func endSession(_ id: String, peer: Peer) async throws(APIError) -> SessionView {
        try known(id)
        return Self.sessionView()
    }
    func exec(_ request: ExecRequest, session: String, peer: Peer) async throws(APIError) -> StepView {
        try known(session)
        return Self.stepView()
    }
    func steps(session: String, peer: Peer) async throws(APIError) -> StepList {
        try known(session)
        return StepList(steps: [Self.stepView()])
    }
    func step(_ step: String, session: String, peer: Peer) async throws(APIError) -> StepView {
        try known(session, step)
        return Self.stepView()
    }
    func output(step: String, session: String, peer: Peer) async throws(APIError) -> StepOutput {
        try known(session, step)
        return StepOutput(stdout: "", stderr: "", stdoutBytes: 0, stderrBytes: 0, stdoutTruncated: false, stderrTruncated: false, running: false)
    }
    func events(step: String, session: String, peer: Peer) async throws(APIError) -> AsyncStream<JobEvent> {
        try known(session, step)
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self)
        continuation.yield(JobEvent(kind: "end", data: "{}"))
        continuation.finish()
        return stream
    }
    func signal(_ signal: Int32, step: String, session: String, peer: Peer) async throws(APIError) -> StepView {
        try known(session, step)
        throw APIError("step_not_running", "step \(step) is ok, not running", httpStatus: 409)
    }
    func input(_ input: StepInput, step: String, session: String, peer: Peer) async throws(APIError) -> StepView {
        try known(session, step)
        throw APIError("step_not_running", "step \(step) is ok, not running", httpStatus: 409)
    }
    func cancel(step: String, session: String, peer: Peer) async throws(APIError) -> StepView {
        try known(session, step)
        return Self.stepView()
    }
    func writeFile(_ path: String, bytes: [UInt8], mode: UInt32?, session: String, peer: Peer) async throws(APIError) -> FileEntry {
        try known(session)
        return FileEntry(path: path, type: "file", size: UInt64(bytes.count), mode: "0644", modifiedAt: Self.date)
    }
    func readFile(_ path: String, session: String, peer: Peer) async throws(APIError) -> SessionFile {
        try known(session)
        throw APIError.notFound("\(path.debugDescription) in the workspace")
    }
    func listFiles(_ path: String, recursive: Bool, session: String, peer: Peer) async throws(APIError) -> FileListing {
        try known(session)
        return FileListing(path: path, entries: [])
    }
    func deleteFile(_ path: String, recursive: Bool, session: String, peer: Peer) async throws(APIError) {
        try known(session)
        throw APIError.notFound("\(path.debugDescription) in the workspace")
    }
    func archive(session: String, peer: Peer) async throws(APIError) -> [UInt8] {
        try known(session)
        return [UInt8](repeating: 0, count: 1024)
    }
    func extractArchive(_ bytes: [UInt8], session: String, peer: Peer) async throws(APIError) -> ArchiveReport {
        try known(session)
        return ArchiveReport(files: 0, bytes: 0)
    }
}
