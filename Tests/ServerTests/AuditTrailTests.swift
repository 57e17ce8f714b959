import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

/// Admin actions through the routes end up in the audit log: who, what, how it ended.
@Suite("Server audit trail")
struct AuditTrailTests {
    static func entries(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }

    @Test func anOperatorsActionIsRecordedWithWhoWhatAndTheResult() async throws {
        let directory = try TemporaryDirectory()
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        try await RouterHarness.test(admin: FakeAdminService(), audit: audit, configuration: RouterHarness.operatorConfiguration) { client in
            let response1 = try await client.execute(uri: "/v1/admin/emergency-stop", method: .post)
            #expect(response1.status == .ok)
            let response2 = try await client.execute(uri: "/v1/admin/reap", method: .post)
            #expect(response2.status == .ok)
        }
        let entries = try Self.entries(audit.path)
        try #require(entries.count == 2)
        #expect(entries[0]["type"] as? String == "admin")
        #expect(entries[0]["action"] as? String == "emergency_stop")
        #expect(entries[0]["uid"] as? Int == 0)
        #expect(entries[0]["pid"] as? Int == Int(RouterHarness.admin.pid))
        #expect(entries[0]["result"] as? String == "ok")
        #expect(entries[0]["message"] as? String == "killed every running sandbox; no work is taken until resume")
        #expect((entries[0]["detail"] as? [String: String])?["killed"] == "2")
        #expect(entries[0]["at"] is String)
        #expect(entries[1]["action"] as? String == "reap")
        #expect((entries[1]["detail"] as? [String: String])?["removed"] == "cgroup /sys/fs/cgroup/memory/brig/run-12-3; process 4242")
    }

    @Test func aRefusedActionIsRecordedAsRefused() async throws {
        let directory = try TemporaryDirectory()
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        try await RouterHarness.test(admin: FakeAdminService(), audit: audit) { client in
            let response3 = try await client.execute(uri: "/v1/admin/drain", method: .post)
            #expect(response3.status == .forbidden)
            let response4 = try await client.execute(uri: "/v1/admin/reload", method: .post)
            #expect(response4.status == .forbidden)
        }
        let entries = try Self.entries(audit.path)
        #expect(entries.map { $0["action"] as? String } == ["drain", "reload"])
        #expect(entries.map { $0["result"] as? String } == ["refused", "refused"])
        #expect(entries.map { $0["uid"] as? Int } == [1000, 1000])
        #expect((entries[0]["detail"] as? [String: String])?["status"] == "403")
    }

    @Test func aReloadIsRecordedWithWhatIsLive() async throws {
        let directory = try TemporaryDirectory()
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        try await RouterHarness.test(admin: nil, audit: audit, configuration: RouterHarness.operatorConfiguration) { client in
            let response5 = try await client.execute(uri: "/v1/admin/reload", method: .post)
            #expect(response5.status == .ok)
        }
        let entries = try Self.entries(audit.path)
        #expect(entries.count == 1)
        #expect(entries.first?["result"] as? String == "ok")
        #expect(entries.first?["message"] as? String == "profiles: default; languages: python")
    }
}
