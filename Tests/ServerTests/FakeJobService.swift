import API
import Engine
import Foundation
import NIOPosix
import Sandbox

/// A `JobService` that records each call and answers with canned views, or with `failure` when set.
actor FakeJobService: JobService {
    struct Call: Sendable, Equatable {
        var method: String
        var peer: Peer?
        var argument: String?
    }

    private(set) var calls: [Call] = []
    /// For each call, whether it ran on an event loop's thread.
    private(set) var callsOnEventLoop: [Bool] = []
    private(set) var submitted: [JobRequest] = []
    private(set) var queries: [JobQuery] = []
    var failure: APIError?
    var events: [JobEvent]
    /// When set, `events(_:peer:)` hands out this stream, which the test feeds as it goes.
    let liveEvents: AsyncStream<JobEvent>?

    init(failure: APIError? = nil, events: [JobEvent]? = nil, liveEvents: AsyncStream<JobEvent>? = nil) {
        self.failure = failure
        self.events = events ?? Self.sampleEvents
        self.liveEvents = liveEvents
    }

    func setFailure(_ failure: APIError?) {
        self.failure = failure
    }

    static let createdAt = Date(timeIntervalSince1970: 1_767_323_045.678)

    static func view(id: String, status: SandboxStatus, owner: UInt32 = 1000) -> JobView {
        var result = SandboxResult(
            status: .ok, exitCode: 0, stdout: CapturedOutput(bytes: Array("hello\n".utf8), totalBytes: 6),
            setupTime: .milliseconds(2), wallTime: .milliseconds(15), cpuUserTime: .milliseconds(9),
            memoryPeakBytes: 4_194_304, pidsPeak: 1)
        result.status = status.isTerminal ? status : .ok
        let terminal = status.isTerminal
        return JobView(
            id: id, status: status, language: "python", profile: "default", owner: owner, createdAt: createdAt,
            startedAt: terminal ? createdAt.addingTimeInterval(0.01) : nil,
            finishedAt: terminal ? createdAt.addingTimeInterval(0.03) : nil,
            result: terminal ? result : nil)
    }

    static let sampleEvents = [
        JobEvent(kind: "state", data: #"{"status":"running"}"#),
        JobEvent(kind: "stdout", data: #"{"step":"run","text":"hello\n"}"#),
        JobEvent(kind: "end", data: #"{"id":"job-1","status":"ok"}"#),
    ]

    private func record(_ method: String, _ peer: Peer?, _ argument: String? = nil) throws(APIError) {
        calls.append(Call(method: method, peer: peer, argument: argument))
        callsOnEventLoop.append(MultiThreadedEventLoopGroup.currentEventLoop != nil)
        if let failure { throw failure }
    }

    func submit(_ request: JobRequest, peer: Peer) async throws(APIError) -> JobView {
        submitted.append(request)
        try record("submit", peer, request.language)
        return Self.view(id: "job-1", status: .queued, owner: peer.uid)
    }

    func wait(for id: String, peer: Peer) async throws(APIError) -> JobView {
        try record("wait", peer, id)
        return Self.view(id: id, status: .ok, owner: peer.uid)
    }

    func job(_ id: String, peer: Peer) async throws(APIError) -> JobView {
        try record("job", peer, id)
        return Self.view(id: id, status: .ok, owner: peer.uid)
    }

    func list(_ query: JobQuery, peer: Peer) async throws(APIError) -> JobPage {
        queries.append(query)
        try record("list", peer)
        return JobPage(jobs: [Self.view(id: "job-2", status: .ok), Self.view(id: "job-1", status: .running)], next: "job-1")
    }

    func cancel(_ id: String, peer: Peer) async throws(APIError) -> JobView {
        try record("cancel", peer, id)
        return Self.view(id: id, status: .cancelled, owner: peer.uid)
    }

    func events(_ id: String, peer: Peer) async throws(APIError) -> AsyncStream<JobEvent> {
        try record("events", peer, id)
        if let liveEvents { return liveEvents }
        let events = self.events
        return AsyncStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
    }

    func languages() async -> [LanguageView] {
        calls.append(Call(method: "languages"))
        return [
            LanguageView(name: "python", image: "host", version: "Python 3.11.2", extensions: ["py"], compiled: false),
            LanguageView(name: "c", image: "host", version: nil, extensions: ["c"], compiled: true),
        ]
    }

    func profiles() async -> [ProfileView] {
        calls.append(Call(method: "profiles"))
        return [
            ProfileView(
                name: "default", description: "editor snippets", limits: ["memory": "256MiB", "wall_time": "10s"],
                maxima: ["memory": "1GiB"], concurrency: 4)
        ]
    }

    func reload(peer: Peer) async throws(APIError) -> ReloadReport {
        try record("reload", peer)
        guard peer.isOperator else {
            throw APIError("forbidden", "only operators may reload", httpStatus: 403)
        }
        return ReloadReport(profiles: ["default"], languages: ["python"], errors: [])
    }
}
