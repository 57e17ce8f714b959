import Foundation

/// Section 3: `clients` threads each submitting `jobsPerClient` synchronous bash `true` jobs back to back, while
/// the daemon's resident memory is sampled.
struct BenchThroughput {
    let daemon: BenchDaemon
    let concurrency: [Int]
    let jobsPerClient: Int

    func measure() throws -> BenchThroughputFigures {
        let idle = daemon.residentKilobytes()
        let loads = try concurrency.map(load)
        return BenchThroughputFigures(
            loads: loads, idleResidentKilobytes: idle, idleAfterLoadResidentKilobytes: daemon.residentKilobytes())
    }

    private func load(clients: Int) throws -> BenchLoad {
        let body = BenchDaemon.job("bash", "true")
        let progress = BenchLoadProgress()
        let finished = DispatchGroup()
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
        progress.running.store(false, ordering: .relaxed)
        if let error = progress.failure.withLock({ $0 }) { throw BenchFailure("\(clients) concurrent clients", "\(error)") }
        let jobs = clients * jobsPerClient
        let peakValue = progress.peakResidentKilobytes.load(ordering: .relaxed)
        return BenchLoad(
            clients: clients, jobs: jobs, seconds: seconds, jobsPerSecond: Double(jobs) / seconds,
            latency: progress.latencies.withLock { $0.percentiles }, peakResidentKilobytes: peakValue > 0 ? peakValue : nil)
    }
}
