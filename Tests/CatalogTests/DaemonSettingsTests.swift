import Testing
@testable import Catalog

@Suite struct DaemonSettingsTests {
    @Test func everyKeyIsRead() throws {
        let settings = try DaemonSettings(toml: """
            socket = "/run/x/brig.sock"
            state_dir = "/var/lib/x"
            runtime_dir = "/run/x"
            catalog = "/etc/x"
            slots = 3
            queue = 50
            operator_uids = [1000, 1001]
            operator_gids = [27]
            grace = "5s"
            max_body = "2MiB"
            retention_age = "48h"
            retention_count = 500
            """, file: "brig.toml")
        #expect(settings.socket == "/run/x/brig.sock")
        #expect(settings.stateDirectory == "/var/lib/x")
        #expect(settings.runtimeDirectory == "/run/x")
        #expect(settings.catalog == "/etc/x")
        #expect(settings.slots == 3)
        #expect(settings.queue == 50)
        #expect(settings.operatorUIDs == [1000, 1001])
        #expect(settings.operatorGIDs == [27])
        #expect(settings.grace == .seconds(5))
        #expect(settings.maxBodyBytes == 2 << 20)
        #expect(settings.retentionAge == .seconds(48 * 3600))
        #expect(settings.retentionCount == 500)
    }

    @Test(arguments: [
        ("slot = 2", nil as String?, "unknown key"),
        ("slots = 0", "slots", "must be between 1 and 1024, not 0"),
        ("socket = \"brig.sock\"", "socket", "must be an absolute path"),
        ("operator_uids = [-1]", "operator_uids", "-1 is not a uid or gid"),
        ("operator_uids = [\"root\"]", "operator_uids", "expected an integer"),
        ("grace = \"soon\"", "grace", "is not a duration"),
        ("max_body = \"big\"", "max_body", "is not a size"),
    ])
    func mistakesNameTheKeyAndReason(toml: String, key: String?, reason: String) {
        do {
            _ = try DaemonSettings(toml: toml + "\n", file: "brig.toml")
            Issue.record("accepted \(toml)")
        } catch {
            #expect(error.file == "brig.toml")
            if let key { #expect(error.key == key) }
            #expect(error.reason.contains(reason), "\(error)")
        }
    }
}
