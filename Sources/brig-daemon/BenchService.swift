/// Section 2: a synchronous job through the daemon's socket against the same program run bare, taking turns.
struct BenchService {
    let daemon: BenchDaemon
    let runs: Int

    func measure() throws -> [BenchFigure] {
        let pairs: [(bare: BenchContender, job: BenchContender)] = [
            // The job runs `bash main.sh` on a file holding `true`: bare, the same shell runs the same command.
            (.program("bare bash -c true", ["/usr/bin/bash", "-c", "true"]),
             job("job: bash true", language: "bash", source: "true")),
            (.program("bare python3 -c 'print(1)'", ["/usr/bin/python3", "-c", "print(1)"]),
             job("job: python print(1)", language: "python", source: "print(1)")),
        ]
        let contenders = pairs.flatMap { [$0.bare, $0.job] }
        let samples = try BenchContender.alternate(contenders, runs: runs)
        return stride(from: 0, to: contenders.count, by: 2).flatMap { index in
            BenchFigure.compare(Array(contenders[index...index + 1]), Array(samples[index...index + 1]))
        }
    }

    private func job(_ name: String, language: String, source: String) -> BenchContender {
        let body = BenchDaemon.job(language, source)
        return BenchContender(name: name) { [daemon] in try daemon.runJob(body) }
    }
}
