import BrigCommandLine
import Foundation

/// Everything one `brig bench` run measured, with the machine and build it ran on; absent sections were skipped.
struct BenchReport: Codable, Sendable {
    var machine: String
    var build: String
    var launch: [BenchFigure]?
    var service: [BenchFigure]?
    var throughput: BenchThroughputFigures?
    var scale: BenchScaleFigures?

    var json: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }

    var text: String {
        var text = "brig bench: \(machine); \(build) build\n"
        if let launch {
            text += "\n1. Launch: /bin/true, the contenders taking turns (ratio: p50 / bare p50)\n"
            text += Self.table(launch, ratioLabel: "x BARE", cpu: true)
            text += "CPU MS: the median CPU time of a turn (this process and the children it reaped, set-up included)\n"
        }
        if let service {
            text += "\n2. Through the service: synchronous jobs over the socket against the program run bare\n"
            text += Self.table(service, ratioLabel: "x BARE")
        }
        if let throughput {
            text += "\n3. Throughput: synchronous bash `true` jobs from concurrent clients\n"
            var table = TextTable(
                "CLIENTS", "JOBS", "SECONDS", "JOBS/S", "P50 MS", "P95 MS", "P99 MS", "PEAK RSS", "USER MS", "KERNEL MS",
                "SANDBOX MS")
            for load in throughput.loads {
                let cpu = load.cpuPerJob
                table.append([
                    "\(load.clients)", "\(load.jobs)", Self.number(load.seconds), Self.number(load.jobsPerSecond),
                    Self.number(load.latency.p50), Self.number(load.latency.p95), Self.number(load.latency.p99),
                    Self.memory(load.peakResidentKilobytes), cpu.map { Self.number($0.user) } ?? "-",
                    cpu.map { Self.number($0.kernel) } ?? "-", cpu.map { Self.number($0.reapedChildren) } ?? "-",
                ])
            }
            text += table.text
            text += "USER, KERNEL MS: the daemon's own CPU time per job; SANDBOX MS: its sandboxes' (init and program)\n"
            text += "daemon RSS idle: \(Self.memory(throughput.idleResidentKilobytes)); "
                + "idle after the load: \(Self.memory(throughput.idleAfterLoadResidentKilobytes))\n"
            if !throughput.endurance.isEmpty {
                text += "daemon RSS after " + throughput.endurance.map { "\($0.jobs)" }.joined(separator: ", ")
                    + " jobs: " + throughput.endurance.map { Self.memory($0.kilobytes) }.joined(separator: ", ") + "\n"
            }
        }
        if let scale {
            text += "\n4. Scale: requests with \(scale.fewJobs) and with \(scale.manyJobs) jobs stored (ratio: many / few)\n"
            text += Self.table(scale.requests, ratioLabel: "x FEW")
            text += "JobStore.purge removed \(scale.purgedJobs) jobs in \(Self.number(scale.purgeMilliseconds)) ms "
                + "(storing \(scale.manyJobs) took \(Self.number(scale.seedMilliseconds / 1000)) s, one transaction each)\n"
        }
        return text
    }

    private static func table(_ figures: [BenchFigure], ratioLabel: String, cpu: Bool = false) -> String {
        var table = TextTable(["", "RUNS", "P50 MS", "P95 MS", "P99 MS", ratioLabel, "+MS"] + (cpu ? ["CPU MS"] : []))
        var skipped = ""
        for figure in figures {
            guard let latency = figure.latency else {
                skipped += "\(figure.name): skipped (\(figure.note ?? "not measured"))\n"
                continue
            }
            table.append([
                figure.name, "\(latency.count)", number(latency.p50), number(latency.p95), number(latency.p99),
                figure.ratio.map { number($0) } ?? "-", figure.overBaseline.map { number($0) } ?? "-",
            ] + (cpu ? [figure.cpuMilliseconds.map { number($0) } ?? "-"] : []))
        }
        return table.text + skipped
    }

    static func number(_ value: Double) -> String {
        DecimalText.fixed(value, digits: value >= 100 ? 0 : value >= 10 ? 1 : 2)
    }

    static func memory(_ kilobytes: Int?) -> String {
        kilobytes.map { DecimalText.fixed(Double($0) / 1024, digits: 1) + " MiB" } ?? "?"
    }
}
