import Foundation

/// Section 3: `clients` threads each submitting `jobsPerClient` synchronous bash `true` jobs back to back, while
/// the daemon's resident memory is sampled; then `enduranceJobs` more in five rounds, the daemon's memory read
/// after each: it must not grow with the jobs it has run.
struct BenchThroughput {
    let daemon: BenchDaemon
    let concurrency: [Int]
    let jobsPerClient: Int
    let enduranceJobs: Int

    /// Clients of the endurance rounds.
    static let enduranceClients = 8
    /// Rounds the endurance jobs are run in, the daemon's memory read after each.
    static let enduranceRounds = 5

    func measure(progress: (String) -> Void) throws -> BenchThroughputFigures {
        let idle = daemon.residentKilobytes()
        let loads = try concurrency.map { try load(clients: $0, jobsPerClient: jobsPerClient) }
        let afterLoad = daemon.residentKilobytes()
        var endurance: [BenchResidentPoint] = []
        let perRound = max(1, enduranceJobs / Self.enduranceRounds / Self.enduranceClients)
        var done = loads.reduce(0) { $0 + $1.jobs }
        let rounds = enduranceJobs > 0 ? Self.enduranceRounds : 0
        for round in 0..<rounds {
            progress("endurance: round \(round + 1) of \(rounds), \(perRound * Self.enduranceClients) jobs")
            done += try load(clients: Self.enduranceClients, jobsPerClient: perRound).jobs
            endurance.append(BenchResidentPoint(jobs: done, kilobytes: daemon.residentKilobytes()))
        }
        return BenchThroughputFigures(
            loads: loads, idleResidentKilobytes: idle, idleAfterLoadResidentKilobytes: afterLoad, endurance: endurance)
    }

    private func load(clients: Int, jobsPerClient: Int) throws -> BenchLoad {
        let body = BenchDaemon.job("bash", "true")
        let progress = BenchLoadProgress()
        let finished = DispatchGroup()
        let cpuAtStart = BenchProcessCPU.of(daemon.pid)
        let start = Stopwatch.now()
        for _ in 0..<clients {
            finished.enter()
            Thread.detachNewThread { [daemon, jobsPerClient] in
                defer { finished.leave() }
                var mine = Samples()
                do {
                    for _ in 0..<jobsPerClient {
                        mine.add(try Stopwatch.milliseconds { try daemon.runJob(body) })
                    }
                } catch {
                    progress.failure.withLock { $0 = $0 ?? error }
                }
                progress.latencies.withLock { $0.add(contentsOf: mine) }
            }
        }
        let sampler = Thread { [daemon] in
            while progress.running.load(ordering: .relaxed) {
                if let rss = daemon.residentKilobytes() { progress.peakResidentKilobytes.max(rss, ordering: .relaxed) }
                usleep(20_000)
            }
        }
        sampler.start()
        finished.wait()
        let seconds = (Stopwatch.now() - start) / 1000
        let cpuAtEnd = BenchProcessCPU.of(daemon.pid)
        progress.running.store(false, ordering: .relaxed)
        if let error = progress.failure.withLock({ $0 }) { throw BenchFailure("\(clients) concurrent clients", "\(error)") }
        let jobs = clients * jobsPerClient
        let peakValue = progress.peakResidentKilobytes.load(ordering: .relaxed)
        return BenchLoad(
            clients: clients, jobs: jobs, seconds: seconds, jobsPerSecond: Double(jobs) / seconds,
            latency: progress.latencies.withLock { $0.percentiles }, peakResidentKilobytes: peakValue > 0 ? peakValue : nil,
            cpuPerJob: cpuAtStart.flatMap { start in cpuAtEnd?.perJob(since: start, jobs: jobs) })
    }
}
