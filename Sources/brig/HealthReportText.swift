import API
import BrigCommandLine
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The health report for someone woken at 3 a.m.: the verdict and what to do first, then each reason, then the
/// facts that help judge it.
struct HealthReportText {
    let report: HealthReport
    let socket: String
    var now = Date()

    var lines: [String] {
        verdict + problems.map { "  - " + $0 } + [""] + facts.map { "  " + $0 }
    }

    private var verdict: [String] {
        switch report.status {
        case "healthy":
            return ["brig is healthy: ready for work, every breaker closed, every self-test passing."]
        case "degraded":
            return ["brig is DEGRADED: it takes work, but not all of it will succeed:"]
        default:
            return ["brig is \(report.status.uppercased()): it cannot take work:"]
        }
    }

    /// What is wrong, each with its reason and, where there is one, the command that addresses it.
    private var problems: [String] {
        var problems: [String] = []
        if report.emergencyStopped {
            problems.append("emergency stop: every sandbox was killed and no work is taken; `brig runbook resume` takes work again")
        } else if report.draining {
            problems.append("draining: new jobs get 503; `brig runbook resume` takes work again")
        }
        for reason in report.readiness.reasons where !(reason == "draining" && report.draining) {
            problems.append("not ready: \(reason)")
        }
        for breaker in report.breakers where breaker.state != "closed" {
            var line = "breaker \(breaker.language): \(breaker.state.replacing("_", with: "-"))"
            if let changed = breaker.changedAt { line += " for \(ElapsedText.age(of: changed, now: now))" }
            line += " after \(breaker.consecutiveFailures) consecutive failures"
            if let reason = breaker.reason, !reason.isEmpty { line += ": \(reason)" }
            problems.append(line + "; its jobs get 503")
        }
        for test in report.selfTests where !test.passed {
            problems.append(
                "self-test \(test.language) failed \(ElapsedText.age(of: test.at, now: now)) ago"
                    + (test.message.map { ": \($0)" } ?? "") + "; `brig runbook selftest` runs it again")
        }
        if report.store.integrity != "ok" {
            problems.append("store \(report.store.path): integrity check: \(report.store.integrity)")
        }
        if report.status != "healthy" && problems.isEmpty {
            problems.append("the daemon gave no reason; see its log (journalctl -u brig)")
        }
        return problems
    }

    private var facts: [String] {
        var facts: [String] = []
        facts.append("version     \(report.version)")
        facts.append("slots       \(report.slots.busy) busy, \(report.slots.free) free of \(report.slots.total)")
        var queue = "queue       \(report.queue.depth) of \(report.queue.capacity) waiting"
        if let oldest = report.queue.oldestAgeSeconds { queue += ", the oldest for \(Self.seconds(oldest))" }
        facts.append(queue)
        facts.append("sessions    \(report.sessions)")
        let open = report.breakers.filter { $0.state != "closed" }.map(\.language)
        facts.append("breakers    \(report.breakers.count) languages, " + (open.isEmpty ? "all closed" : "not closed: " + open.joined(separator: ", ")))
        if !report.selfTests.isEmpty {
            let failed = report.selfTests.filter { !$0.passed }.map(\.language)
            let latest = report.selfTests.map(\.at).max().map { ", last \(ElapsedText.age(of: $0, now: now)) ago" } ?? ""
            facts.append("self-tests  \(report.selfTests.count - failed.count) of \(report.selfTests.count) passing\(latest)")
        }
        facts.append(
            "disk        \(Self.bytes(report.disk.freeBytes)) free in \(report.disk.path) (work stops below \(Self.bytes(report.disk.thresholdBytes)))")
        facts.append("store       \(report.store.path), \(Self.bytes(report.store.bytes)), integrity \(report.store.integrity)")
        let errors = report.recentErrors
        facts.append("errors      \(errors.internalErrors) internal errors in \(errors.finished) jobs finished in the last \(Self.seconds(Double(errors.windowSeconds)))")
        let controllers = report.cgroupControllers.keys.sorted().joined(separator: ", ")
        facts.append("cgroups     \(report.cgroupVersion)" + (controllers.isEmpty ? "" : " (\(controllers))"))
        facts.append("socket      \(socket)")
        return facts
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : DecimalText.fixed(value, digits: value < 10 ? 1 : 0) + " " + units[unit]
    }

    static func seconds(_ value: Double) -> String {
        if value < 120 { return DecimalText.fixed(value, digits: value < 10 ? 1 : 0) + "s" }
        if value < 7200 { return "\(Int(value / 60))m" }
        return "\(Int(value / 3600))h"
    }
}
