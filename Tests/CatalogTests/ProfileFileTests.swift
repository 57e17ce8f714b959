import Sandbox
import Testing
@testable import Catalog

/// A profile file with one mistake, and what the error must say about it.
struct BadProfile: Sendable, CustomTestStringConvertible {
    let label: String
    var fileName = "bad"
    let toml: String
    let key: String?
    /// The whole reason, or its start when `prefixOnly`.
    let reason: String
    var prefixOnly = false

    var testDescription: String { label }
}

@Suite struct ProfileFileTests {
    static let badProfiles: [BadProfile] = [
        BadProfile(
            label: "syntax error", toml: "description = \"x\"\nnetwork = \n", key: nil,
            reason: "TOML syntax error at line 2, column 11: ", prefixOnly: true),
        BadProfile(
            label: "unclosed table header", toml: "[limits\nmemory = \"1GiB\"\n", key: nil,
            reason: "TOML syntax error at line 1, column 8: ", prefixOnly: true),
        BadProfile(
            label: "duplicate key", toml: "[limits]\npids = 1\npids = 2\n", key: nil,
            reason: "TOML syntax error at line 3, column 8: ", prefixOnly: true),
        BadProfile(
            label: "raw NUL byte", toml: "description = \"a\u{0}b\"\n", key: nil,
            reason: "TOML syntax error at line 1, column 17: ", prefixOnly: true),
        BadProfile(
            label: "escaped NUL", toml: "seccomp = \"default\\u0000x\"\n", key: nil,
            reason: "line 1, column 19: a NUL character (\\u0000) cannot be used: strings end there"),
        BadProfile(
            label: "escaped NUL after wide characters, columns in characters",
            toml: "description = \"naïve 🙂 \\U00000000\"\n", key: nil,
            reason: "line 1, column 24: a NUL character (\\u0000) cannot be used: strings end there"),
        BadProfile(
            label: "escaped NUL ending a line of a multi-line string",
            toml: "description = \"\"\"\nfirst\\u0000\nsecond\"\"\"\n", key: nil,
            reason: "line 2, column 6: a NUL character (\\u0000) cannot be used: strings end there"),
        BadProfile(
            label: "escaped backslash before u0000 is plain text", toml: "description = \"\\\\u0000\"\nconcurrency = 0\n",
            key: "concurrency", reason: "must be between 1 and 1024, not 0"),
        BadProfile(
            label: "misspelt limit", toml: "[limits]\nwall_tme = \"10s\"\n", key: "limits.wall_tme",
            reason: "unknown key; did you mean \"wall_time\"?"),
        BadProfile(
            label: "swapped letters", toml: "[limits]\nmemroy = \"1GiB\"\n", key: "limits.memroy",
            reason: "unknown key; did you mean \"memory\"?"),
        BadProfile(
            label: "limit outside its table", toml: "memory = \"1GiB\"\n", key: "memory",
            reason: "unknown key; did you mean \"limits.memory\"?"),
        BadProfile(
            label: "unknown key far from any", toml: "colour = \"blue\"\n", key: "colour",
            reason: "unknown key; known keys are \"description\", \"network\", \"seccomp\", \"concurrency\", \"limits\", \"maxima\", \"compile\""),
        BadProfile(
            label: "unknown table", toml: "[limit]\nmemory = \"1GiB\"\n", key: "limit",
            reason: "unknown key; did you mean \"limits\"?"),
        BadProfile(
            label: "integer as a string", toml: "[limits]\npids = \"64\"\n", key: "limits.pids",
            reason: "expected an integer, got a string"),
        BadProfile(
            label: "float for an integer", toml: "[limits]\nopen_files = 256.0\n", key: "limits.open_files",
            reason: "expected an integer, got a floating-point number"),
        BadProfile(
            label: "boolean for a size", toml: "[limits]\nmemory = true\n", key: "limits.memory",
            reason: "expected a size such as \"256MiB\", got a boolean"),
        BadProfile(
            label: "table expected", toml: "limits = 5\n", key: "limits",
            reason: "expected a table, got an integer"),
        BadProfile(
            label: "number for a description", toml: "description = 5\n", key: "description",
            reason: "expected a string, got an integer"),
        BadProfile(
            label: "bad size unit", toml: "[limits]\nmemory = \"512XB\"\n", key: "limits.memory",
            reason: "\"512XB\" is not a size: use a number with B, KiB, MiB, GiB (or kB, MB, GB)"),
        BadProfile(
            label: "fraction of a byte", toml: "[limits]\noutput = \"0.3KiB\"\n", key: "limits.output",
            reason: "\"0.3KiB\" is not a whole number of bytes: use a smaller unit"),
        BadProfile(
            label: "negative size", toml: "[limits]\ntmp = -5\n", key: "limits.tmp",
            reason: "-5 is not a size: it is below 0"),
        BadProfile(
            label: "duration without unit", toml: "[limits]\nwall_time = 10\n", key: "limits.wall_time",
            reason: "10 has no unit: write it as a string such as \"10s\""),
        BadProfile(
            label: "bad duration", toml: "[limits]\ncpu_time = \"5 secs\"\n", key: "limits.cpu_time",
            reason: "\"5 secs\" is not a duration: use a number with h, m, s, ms (or us, ns), e.g. \"10s\" or \"1.5s\""),
        BadProfile(
            label: "zero time", toml: "[limits]\nwall_time = \"0s\"\n", key: "limits.wall_time",
            reason: "must be more than 0"),
        BadProfile(
            label: "zero size", toml: "[limits]\nworkspace = \"0MiB\"\n", key: "limits.workspace",
            reason: "must be more than 0"),
        BadProfile(
            label: "negative cpus", toml: "[limits]\ncpus = -1\n", key: "limits.cpus",
            reason: "must be more than 0 and at most 64, not -1"),
        BadProfile(
            label: "too many cpus", toml: "[limits]\ncpus = 64.5\n", key: "limits.cpus",
            reason: "must be more than 0 and at most 64, not 64.5"),
        BadProfile(
            label: "cpus not a number", toml: "[limits]\ncpus = nan\n", key: "limits.cpus",
            reason: "must be a finite number"),
        BadProfile(
            label: "zero pids", toml: "[limits]\npids = 0\n", key: "limits.pids",
            reason: "must be between 1 and 32768, not 0"),
        BadProfile(
            label: "too few open files", toml: "[limits]\nopen_files = 8\n", key: "limits.open_files",
            reason: "must be between 16 and 1048576, not 8"),
        BadProfile(
            label: "too little memory", toml: "[limits]\nmemory = \"4MiB\"\n", key: "limits.memory",
            reason: "4MiB is below the minimum of 8MiB"),
        BadProfile(
            label: "wall time above a day", toml: "[limits]\nwall_time = \"25h\"\n", key: "limits.wall_time",
            reason: "25h is above the most brig allows, 24h"),
        BadProfile(
            label: "maximum out of range", toml: "[maxima]\npids = 40000\n", key: "maxima.pids",
            reason: "must be between 1 and 32768, not 40000"),
        BadProfile(
            label: "maximum below limit",
            toml: "[limits]\nmemory = \"256MiB\"\n[maxima]\nmemory = \"128MiB\"\n", key: "maxima.memory",
            reason: "128MiB is below the limit of 256MiB in [limits]"),
        BadProfile(
            label: "maximum time below limit",
            toml: "[limits]\nwall_time = \"1m\"\n[maxima]\nwall_time = \"30s\"\n", key: "maxima.wall_time",
            reason: "30s is below the limit of 1m in [limits]"),
        BadProfile(
            label: "maximum for output_overflow", toml: "[maxima]\noutput_overflow = \"kill\"\n",
            key: "maxima.output_overflow",
            reason: "has no maximum: a job may choose truncate or kill; set the default in [limits]"),
        BadProfile(
            label: "bad output_overflow", toml: "[limits]\noutput_overflow = \"trunc\"\n", key: "limits.output_overflow",
            reason: "\"trunc\" is not one of \"truncate\", \"kill\""),
        BadProfile(
            label: "bad network", toml: "network = \"host\"\n", key: "network",
            reason: "\"host\" is not supported: the only choice is \"none\""),
        BadProfile(
            label: "empty seccomp", toml: "seccomp = \"\"\n", key: "seccomp",
            reason: "unknown seccomp policy \"\"; known: \"default\""),
        BadProfile(
            label: "unknown seccomp", toml: "seccomp = \"lenient\"\n", key: "seccomp",
            reason: "unknown seccomp policy \"lenient\"; known: \"default\""),
        BadProfile(
            label: "zero concurrency", toml: "concurrency = 0\n", key: "concurrency",
            reason: "must be between 1 and 1024, not 0"),
        BadProfile(
            label: "misspelt compile limit", toml: "[compile]\nmemroy = \"1GiB\"\n", key: "compile.memroy",
            reason: "unknown key; did you mean \"memory\"?"),
        BadProfile(
            label: "compile workspace", toml: "[compile]\nworkspace = \"1GiB\"\n", key: "compile.workspace",
            reason: "the compile step and the run share one workspace: set its size in [limits]"),
        BadProfile(
            label: "compile not a table", toml: "compile = \"30s\"\n", key: "compile",
            reason: "expected a table, got a string"),
        BadProfile(
            label: "compile time without a unit", toml: "[compile]\nwall_time = 30\n", key: "compile.wall_time",
            reason: "30 has no unit: write it as a string such as \"30s\""),
        BadProfile(
            label: "compile memory not a size", toml: "[compile]\nmemory = \"lots\"\n", key: "compile.memory",
            reason: "\"lots\" is not a size: use a number with B, KiB, MiB, GiB (or kB, MB, GB)"),
        BadProfile(
            label: "compile memory too small", toml: "[compile]\nmemory = \"1MiB\"\n", key: "compile.memory",
            reason: "1MiB is below the minimum of 8MiB"),
        BadProfile(
            label: "compile pids out of range", toml: "[compile]\npids = 0\n", key: "compile.pids",
            reason: "must be between 1 and 32768, not 0"),
        BadProfile(
            label: "compile wall time in days", toml: "[compile]\nwall_time = \"2d\"\n", key: "compile.wall_time",
            reason: "\"2d\" is not a duration: use a number with h, m, s, ms (or us, ns), e.g. \"10s\" or \"1.5s\""),
        BadProfile(
            label: "compile wall time above a day", toml: "[compile]\nwall_time = \"25h\"\n", key: "compile.wall_time",
            reason: "25h is above the most brig allows, 24h"),
        BadProfile(
            label: "compile cpus zero", toml: "[compile]\ncpus = 0\n", key: "compile.cpus",
            reason: "must be more than 0 and at most 64, not 0"),
        BadProfile(
            label: "compile overflow unknown", toml: "[compile]\noutput_overflow = \"drop\"\n", key: "compile.output_overflow",
            reason: "\"drop\" is not one of \"truncate\", \"kill\""),
        BadProfile(
            label: "capital letters in the name", fileName: "Default", toml: "", key: nil,
            reason: "profile name \"Default\" does not match [a-z0-9][a-z0-9_-]* (at most 64 characters)"),
        BadProfile(
            label: "dot in the name", fileName: "my.profile", toml: "", key: nil,
            reason: "profile name \"my.profile\" does not match [a-z0-9][a-z0-9_-]* (at most 64 characters)"),
    ]

    @Test(arguments: badProfiles)
    func badFileIsReportedWithFileKeyAndReason(_ bad: BadProfile) throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(bad.toml, to: "\(bad.fileName).toml")
        let error = try #require(throws: CatalogError.self) { try Profile(contentsOf: path) }
        #expect(error.file == path)
        #expect(error.key == bad.key)
        if bad.prefixOnly {
            #expect(error.reason.hasPrefix(bad.reason), "\(error.reason)")
        } else {
            #expect(error.reason == bad.reason)
        }
    }

    @Test func missingKeysTakeTheDefaults() throws {
        let profile = try Profile(name: "empty", toml: "", file: "empty.toml")
        #expect(profile == Profile(name: "empty"))
        #expect(profile.limits == SandboxLimits())
        #expect(profile.maxima == SandboxLimits())
        #expect(profile.compileLimits == SandboxLimits())
        #expect(profile.network == .none)
        #expect(profile.seccomp == "default")
        #expect(profile.concurrency == 2)
    }

    @Test func everyKeyIsRead() throws {
        let toml = """
            description = "everything"
            network = "none"
            seccomp = "default"
            concurrency = 3
            [limits]
            wall_time = "20s"
            cpu_time = "1.5s"
            memory = "512MiB"
            cpus = 1.5
            pids = 100
            output = "2MiB"
            output_overflow = "kill"
            workspace = "128MiB"
            tmp = "32MiB"
            open_files = 512
            file_size = "16MiB"
            stack = "16MiB"
            [maxima]
            wall_time = "1m"
            memory = "1GiB"
            cpus = 2
            [compile]
            wall_time = "40s"
            cpu_time = "35s"
            memory = "1536MiB"
            cpus = 2
            pids = 300
            output = "4MiB"
            output_overflow = "truncate"
            tmp = "200MiB"
            open_files = 1000
            file_size = "100MiB"
            stack = "32MiB"
            """
        let profile = try Profile(name: "full", toml: toml, file: "full.toml")
        let limits = SandboxLimits(
            wallTime: .seconds(20), cpuTime: .milliseconds(1500), memoryBytes: 512 << 20, cpus: 1.5, pids: 100,
            outputBytes: 2 << 20, outputOverflow: .kill, workspaceBytes: 128 << 20, tmpBytes: 32 << 20,
            openFiles: 512, fileSizeBytes: 16 << 20, stackBytes: 16 << 20)
        var maxima = limits
        maxima.wallTime = .seconds(60)
        maxima.memoryBytes = 1 << 30
        maxima.cpus = 2
        // workspace is the [limits] one: compile and run share it.
        let compile = SandboxLimits(
            wallTime: .seconds(40), cpuTime: .seconds(35), memoryBytes: 1536 << 20, cpus: 2, pids: 300,
            outputBytes: 4 << 20, outputOverflow: .truncate, workspaceBytes: 128 << 20, tmpBytes: 200 << 20,
            openFiles: 1000, fileSizeBytes: 100 << 20, stackBytes: 32 << 20)
        #expect(profile == Profile(
            name: "full", description: "everything", limits: limits, maxima: maxima, compileLimits: compile,
            network: .none, seccomp: "default", concurrency: 3))
    }

    @Test func compileKeysLeftOutAreTheLimitsValuesNotBrigsDefaults() throws {
        let toml = """
            [limits]
            wall_time = "3s"
            memory = "100MiB"
            pids = 20
            workspace = "32MiB"
            [compile]
            memory = "1GiB"
            """
        let profile = try Profile(name: "partial", toml: toml, file: "partial.toml")
        var expected = profile.limits
        expected.memoryBytes = 1 << 30
        #expect(profile.compileLimits == expected)
        #expect(profile.compileLimits.wallTime == .seconds(3))
        #expect(profile.compileLimits.pids == 20)
        #expect(profile.compileLimits.workspaceBytes == 32 << 20)
    }

    @Test func compileLimitsMayExceedTheMaximaOfJobs() throws {
        // The maxima bound what a job asks for; the compile step is the operator's own choice.
        let toml = """
            [maxima]
            memory = "512MiB"
            [compile]
            memory = "2GiB"
            """
        let profile = try Profile(name: "roomy", toml: toml, file: "roomy.toml")
        #expect(profile.compileLimits.memoryBytes == 2 << 30)
        #expect(profile.maxima.memoryBytes == 512 << 20)
    }
}
