import Sandbox
import Testing
@testable import Catalog

@Suite struct LimitOverridesTests {
    static let toml = """
        [limits]
        wall_time = "10s"
        memory = "256MiB"
        pids = 64
        [maxima]
        wall_time = "60s"
        memory = "1GiB"
        cpus = 2
        output = "8MiB"
        """

    func profile() throws -> Profile {
        try Profile(name: "default", toml: Self.toml, file: "profiles/default.toml")
    }

    @Test func nothingAskedGivesTheProfileLimits() throws {
        let profile = try profile()
        #expect(try profile.limits(applying: LimitOverrides()) == profile.limits)
    }

    @Test func valuesWithinTheMaximaApply() throws {
        let limits = try profile().limits(applying: LimitOverrides(
            wallTime: .seconds(60), memoryBytes: 1 << 30, cpus: 1.5, pids: 32, outputOverflow: .kill))
        var expected = try profile().limits
        expected.wallTime = .seconds(60)
        expected.memoryBytes = 1 << 30
        expected.cpus = 1.5
        expected.pids = 32
        expected.outputOverflow = .kill
        #expect(limits == expected)
    }

    static let aboveMaxima: [(LimitOverrides, String, String)] = [
        (LimitOverrides(memoryBytes: 2 << 30), "memory", "2GiB is above the maximum of 1GiB in profile default"),
        (LimitOverrides(wallTime: .seconds(90)), "wall_time", "90s is above the maximum of 1m in profile default"),
        (LimitOverrides(cpus: 2.5), "cpus", "2.5 is above the maximum of 2 in profile default"),
        (LimitOverrides(outputBytes: 9 << 20), "output", "9MiB is above the maximum of 8MiB in profile default"),
        // No maximum written: the limit is the maximum.
        (LimitOverrides(pids: 65), "pids", "65 is above the maximum of 64 in profile default"),
        (LimitOverrides(cpuTime: .seconds(6)), "cpu_time", "6s is above the maximum of 5s in profile default"),
        (LimitOverrides(stackBytes: 16 << 20), "stack", "16MiB is above the maximum of 8MiB in profile default"),
    ]

    @Test(arguments: aboveMaxima)
    func valuesAboveTheMaximaNameTheField(overrides: LimitOverrides, key: String, reason: String) throws {
        let profile = try profile()
        #expect(throws: CatalogError(file: "default", key: key, reason: reason)) {
            try profile.limits(applying: overrides)
        }
    }

    static let unusable: [(LimitOverrides, String, String)] = [
        (LimitOverrides(pids: 0), "pids", "must be between 1 and 32768, not 0"),
        (LimitOverrides(memoryBytes: 1 << 20), "memory", "1MiB is below the minimum of 8MiB"),
        (LimitOverrides(cpus: -1), "cpus", "must be more than 0 and at most 64, not -1"),
        (LimitOverrides(cpus: .nan), "cpus", "must be more than 0 and at most 64, not nan"),
        (LimitOverrides(wallTime: .zero), "wall_time", "must be more than 0"),
        (LimitOverrides(outputBytes: -5), "output", "must be more than 0"),
    ]

    @Test(arguments: unusable)
    func unusableValuesNameTheField(overrides: LimitOverrides, key: String, reason: String) throws {
        let profile = try profile()
        #expect(throws: CatalogError(file: "default", key: key, reason: reason)) {
            try profile.limits(applying: overrides)
        }
    }
}
