import API
import Engine
import Foundation
import Sandbox
import Store

/// Section 4: GET /v1/jobs/{id} and GET /v1/jobs?limit=50 (first page and a page deep in the list) with few jobs
/// stored and with many, then `JobStore.purge` removing nine tenths of them.
struct BenchScale {
    let makeDaemon: (_ stateDirectory: String) throws -> BenchDaemon
    let stateDirectory: String
    let fewJobs: Int
    let manyJobs: Int
    let requests: Int

    func measure() throws -> BenchScaleFigures {
        let databasePath = stateDirectory + "/brig.sqlite"
        let store = try JobStore(path: databasePath)
        var seedMilliseconds = try Stopwatch.milliseconds { try Self.seed(store, numbers: 1...fewJobs) }
        let few = try requestSamples()
        seedMilliseconds += try Stopwatch.milliseconds { try Self.seed(store, numbers: fewJobs + 1...manyJobs) }
        let many = try requestSamples()
        var figures: [BenchFigure] = []
        for (name, fewSamples) in few {
            let manySamples = many.first { $0.name == name }?.samples ?? Samples()
            figures += BenchFigure.compare(
                names: ["\(name), \(fewJobs) jobs", "\(name), \(manyJobs) jobs"], [fewSamples, manySamples])
        }
        let purgeCount = manyJobs * 9 / 10
        var purged = 0
        let purgeMilliseconds = try Stopwatch.milliseconds {
            purged = try store.purge(olderThan: .distantPast, keepingAtMost: manyJobs - purgeCount)
        }
        guard purged == purgeCount else {
            throw BenchFailure("JobStore.purge", "removed \(purged) jobs, not \(purgeCount)")
        }
        return BenchScaleFigures(
            fewJobs: fewJobs, manyJobs: manyJobs, requests: figures, purgedJobs: purged,
            purgeMilliseconds: purgeMilliseconds, seedMilliseconds: seedMilliseconds)
    }

    /// Starts a daemon on the store as it is and times each request `requests` times, the requests taking turns.
    private func requestSamples() throws -> [(name: String, samples: Samples)] {
        let daemon = try makeDaemon(stateDirectory)
        defer { daemon.stop() }
        let client = daemon.client
        let first = try client.send("GET", "/v1/jobs?limit=50", expecting: JobPage.self).value
        guard let someID = first.jobs.last?.id, let next = first.next.flatMap({ Int($0) }) else {
            throw BenchFailure("GET /v1/jobs?limit=50", "the stored jobs are not listed, or fit one page")
        }
        // A cursor half-way down the list: the page a client paging through everything reaches in the middle.
        let deepCursor = max((next + first.jobs.count) / 2, 1)
        let contenders = [
            ("GET /v1/jobs/{id}", "/v1/jobs/\(someID)"),
            ("GET /v1/jobs?limit=50", "/v1/jobs?limit=50"),
            ("GET /v1/jobs?limit=50&after=(middle)", "/v1/jobs?limit=50&after=\(deepCursor)"),
        ].map { name, target in
            BenchContender(name: name) { _ = try client.send("GET", target) }
        }
        return zip(contenders, try BenchContender.alternate(contenders, runs: requests)).map { ($0.name, $1) }
    }

    /// Stores finished bash jobs numbered `numbers` (their ids say the number), with a request and a result as the engine would have written them.
    static func seed(_ store: JobStore, numbers: ClosedRange<Int>) throws {
        let request = try JSONEncoder().encode(JobRequest(language: "bash", source: "true"))
        let result = try JSONEncoder().encode(SandboxResult(
            status: .ok, exitCode: 0, setupTime: .milliseconds(3), wallTime: .milliseconds(1)))
        let now = Date()
        for number in numbers {
            _ = try store.insert(JobRecord(
                id: String(format: "j_%024x", number), owner: 0, language: "bash", profile: "default", status: "ok",
                request: request, createdAt: now, startedAt: now, finishedAt: now, result: result))
        }
    }
}
