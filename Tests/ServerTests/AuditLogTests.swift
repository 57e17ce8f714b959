import API
import Engine
import Foundation
import Server
import Testing

@Suite("Audit log")
struct AuditLogTests {
    @Test func eachEntryIsOneJSONLineAppended() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/audit.log"
        try "{\"earlier\":true}\n".write(toFile: path, atomically: false, encoding: .utf8)
        let log = try AuditLog(path: path, logger: RouterHarness.quietLogger)
        log.record(AuditEntry(type: "admin", action: "drain", peer: RouterHarness.admin, result: "ok", message: "draining"))
        log.record(AuditEntry(type: "hook", action: "/etc/brig/hooks/page.sh", event: "breaker_opened", result: "exited", message: "exited 0"))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "{\"earlier\":true}")
        let decoded = try lines.dropFirst().map { try APIJSON.decoder().decode(AuditEntry.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.action) == ["drain", "/etc/brig/hooks/page.sh"])
        #expect(decoded[0].uid == 0 && decoded[0].pid == RouterHarness.admin.pid)
        #expect(decoded[1].event == "breaker_opened" && decoded[1].uid == nil)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o644, "an existing file keeps its mode")
    }

    @Test func aNewLogIsReadableByRootOnly() throws {
        let directory = try TemporaryDirectory()
        let log = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        log.record(AuditEntry(type: "admin", action: "resume", result: "ok", message: "resumed"))
        var status = stat()
        #expect(stat(log.path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func anUnwritableLocationIsNamed() throws {
        #expect {
            try AuditLog(path: "/nonexistent-dir/audit.log", logger: RouterHarness.quietLogger)
        } throws: { error in
            (error as? ServerError)?.message.hasPrefix("cannot open the audit log /nonexistent-dir/audit.log: ") == true
        }
    }

    @Test(arguments: [
        ("token", "abc123"), ("API_KEY", "k-1"), ("db_password", "hunter2"), ("Secret", "s"), ("env", "HOME=/root"),
        ("authorization", "Bearer x"), ("env.GITHUB", "x"),
    ])
    func secretValuesAreRedactedByTheirKey(_ key: String, _ value: String) {
        let entry = AuditEntry(type: "hook", action: "/x", result: "exited", message: "m", detail: [key: value, "language": "python"])
        #expect(entry.detail[key] == AuditRedaction.placeholder)
        #expect(entry.detail["language"] == "python")
    }

    @Test(arguments: [
        ("ran with TOKEN=abc123 and more", "ran with TOKEN=[redacted] and more"),
        ("password: hunter2 was wrong", "password: [redacted] was wrong"),
        ("API_KEY=xyz", "API_KEY=[redacted]"),
        ("language=python exited 1", "language=python exited 1"),
    ])
    func secretAssignmentsInMessagesAreRedacted(_ message: String, _ expected: String) {
        #expect(AuditRedaction.redact(message: message) == expected)
        #expect(AuditEntry(type: "admin", action: "a", result: "ok", message: message).message == expected)
    }

    @Test func theLogRotatesOnceItPassesItsBound() throws {
        let directory = try TemporaryDirectory()
        let log = try AuditLog(path: directory.path + "/audit.log", maxBytes: 1000, logger: RouterHarness.quietLogger)
        for index in 0..<40 {
            log.record(AuditEntry(type: "admin", action: "drain", result: "ok", message: "entry \(index)"))
        }
        let current = try #require(FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int)
        let previous = try #require(FileManager.default.attributesOfItem(atPath: log.path + ".1")[.size] as? Int)
        #expect(current <= 1000 && previous <= 1000)
        let last = try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n").last
        #expect(last?.contains("entry 39") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == ["audit.log", "audit.log.1"])
    }
}
