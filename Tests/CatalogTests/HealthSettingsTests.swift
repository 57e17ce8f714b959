import Testing
@testable import Catalog

@Suite struct HealthSettingsTests {
    @Test func theEnginesHealthKnobsAreRead() throws {
        let settings = try DaemonSettings(toml: """
            min_free_disk = "1GiB"
            breaker_threshold = 5
            breaker_cool_down = "2m"
            self_test_interval = "0s"
            watchdog_grace = "15s"
            """, file: "brig.toml")
        #expect(settings.minimumFreeDiskBytes == 1 << 30)
        #expect(settings.breakerThreshold == 5)
        #expect(settings.breakerCoolDown == .seconds(120))
        #expect(settings.selfTestInterval == .zero)
        #expect(settings.watchdogGrace == .seconds(15))
    }

    @Test(arguments: [
        ("breaker_threshold = 0", "breaker_threshold", "must be between 1 and 1000"),
        ("breaker_cool_down = \"0s\"", "breaker_cool_down", "must be longer than 0"),
        ("watchdog_grace = \"0s\"", "watchdog_grace", "must be longer than 0"),
        ("min_free_disk = \"lots\"", "min_free_disk", "is not a size"),
        ("self_test_interval = 900", "self_test_interval", "has no unit"),
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
}
