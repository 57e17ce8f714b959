import Testing
@testable import Catalog

@Suite struct HookSettingsTests {
    @Test func theHooksTableIsRead() throws {
        let settings = try DaemonSettings(toml: """
            audit_log = "/var/log/brig-audit.log"

            [hooks]
            breaker_opened = ["/etc/brig/hooks/page.sh"]
            emergency_stop = ["/etc/brig/hooks/page.sh", "/etc/brig/hooks/log.sh"]
            readiness_lost = []
            timeout = "5s"
            rate_limit = "3/10m"
            """, file: "brig.toml")
        #expect(settings.auditLog == "/var/log/brig-audit.log")
        let hooks = try #require(settings.hooks)
        #expect(hooks.commands == [
            "breaker_opened": ["/etc/brig/hooks/page.sh"],
            "emergency_stop": ["/etc/brig/hooks/page.sh", "/etc/brig/hooks/log.sh"],
        ])
        #expect(hooks.timeout == .seconds(5))
        #expect(hooks.rateLimit == HookRateLimit(runs: 3, period: .seconds(600)))
    }

    @Test func withoutTheTableThereAreNoHooks() throws {
        #expect(try DaemonSettings(toml: "slots = 2\n", file: "brig.toml").hooks == nil)
    }

    @Test(arguments: [
        ("[hooks]\nbreaker_open = [\"/x\"]", "hooks.breaker_open", "did you mean \"breaker_opened\"?"),
        ("[hooks]\ndrain = [\"page.sh\"]", "hooks.drain", "\"page.sh\" must be an absolute path to an executable"),
        ("[hooks]\ndrain = \"/x\"", "hooks.drain", "expected an array of strings"),
        ("[hooks]\ntimeout = \"0s\"", "hooks.timeout", "must be longer than 0"),
        ("[hooks]\ntimeout = 10", "hooks.timeout", "has no unit"),
        ("[hooks]\nrate_limit = \"6\"", "hooks.rate_limit", "is not a rate such as \"6/1m\""),
        ("[hooks]\nrate_limit = \"0/1m\"", "hooks.rate_limit", "is not a rate"),
        ("[hooks]\nrate_limit = \"6/soon\"", "hooks.rate_limit", "is not a duration"),
        ("audit_log = \"audit.log\"", "audit_log", "must be an absolute path"),
        ("hooks = 3", "hooks", "expected a table"),
    ])
    func mistakesNameTheKeyAndReason(toml: String, key: String, reason: String) {
        do {
            _ = try DaemonSettings(toml: toml + "\n", file: "brig.toml")
            Issue.record("accepted \(toml)")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test(arguments: [("6/1m", 6, 60), ("1/30s", 1, 30), (" 10 / 1h", 10, 3600)])
    func ratesRead(_ text: String, _ runs: Int, _ seconds: Int64) throws {
        let rate = try HookRateLimit(parsing: text)
        #expect(rate == HookRateLimit(runs: runs, period: .seconds(seconds)))
    }

    @Test func aRateReadsBackAsWritten() throws {
        #expect(try HookRateLimit(parsing: "6/1m").description == "6/1m")
    }
}
