import ArgumentParser
import Catalog
import Testing

@testable import brig

/// `brig run`'s two parsers: what the quick one accepts, ArgumentParser reads the same way; what it declines
/// falls to ArgumentParser, which explains.
@Suite struct RunRequestParsingTests {
    /// Every option `RunCommand` has, in both spellings, and commands that look like options.
    static let plain: [[String]] = [
        ["--", "/bin/true"],
        ["--", "/bin/sh", "-c", "echo hi"],
        ["--json", "--", "/bin/echo", "--json", "--profile", "x"],
        ["--profile", "tiny", "--image", "python", "--", "/usr/bin/python3", "-c", "print(1)"],
        ["--profile=tiny", "--image=python", "--catalog=/etc/brig", "--", "/bin/true"],
        ["--catalog", "/tmp/catalog", "--runtime-dir", "/run/brig-x", "--", "/bin/true"],
        ["--runtime-dir=/run/brig-x", "--", "/bin/true"],
        ["--memory", "32MiB", "--wall-time", "2s", "--cpu-time=500ms", "--cpus", "0.5", "--pids", "8", "--output", "1KiB", "--", "/bin/true"],
        ["--memory=1.5GiB", "--cpus=2", "--pids=1", "--output=64", "--", "/bin/true"],
        ["-e", "A=1", "--env", "B=2=3", "--env=C=", "-e", "A=4", "--", "/usr/bin/env"],
        ["--", "--", "/bin/true"],
        ["--", "--help"],
        ["--", "-h"],
        ["--profile", "", "--", "x"],
    ]

    /// Forms the quick parser leaves to ArgumentParser.
    static let declined: [[String]] = [
        [], ["--"], ["/bin/true"], ["--help"], ["-h"], ["--help", "--", "/bin/true"],
        ["--profile", "--", "/bin/true"], ["--profile"], ["--profile", "-x", "--", "/bin/true"],
        ["--profile", "a", "--profile", "b", "--", "/bin/true"], ["--json", "--json", "--", "/bin/true"],
        ["--json=yes", "--", "/bin/true"], ["--unknown", "--", "/bin/true"], ["-x", "--", "/bin/true"],
        ["-eA=1", "--", "/bin/true"], ["--cpus", "many", "--", "/bin/true"], ["--cpus", "0", "--", "/bin/true"],
        ["--pids", "1.5", "--", "/bin/true"], ["--pids=0", "--", "/bin/true"], ["--memory", "lots", "--", "/bin/true"],
        ["--wall-time", "5", "--", "/bin/true"], ["-e", "NOVALUE", "--", "/bin/true"], ["-e", "=1", "--", "/bin/true"],
        ["--json", "/bin/true"],
    ]

    @Test(arguments: plain) func readsPlainArgumentsAsArgumentParserDoes(_ arguments: [String]) throws {
        let quick = try #require(RunRequest(quickParsing: arguments), "declined \(arguments)")
        let parsed = try #require(try RunCommand.parseAsRoot(arguments) as? RunCommand)
        #expect(quick == (try parsed.request))
        #expect(!quick.command.isEmpty)
    }

    @Test(arguments: declined) func leavesEverythingElseToArgumentParser(_ arguments: [String]) {
        #expect(RunRequest(quickParsing: arguments) == nil)
    }

    @Test func readsEachOptionIntoItsField() throws {
        let request = try #require(RunRequest(quickParsing: [
            "--catalog", "/c", "--profile=tiny", "--image", "python", "--memory", "32MiB", "--wall-time=2s",
            "--cpu-time", "1s", "--cpus", "0.5", "--pids", "8", "--output", "1KiB", "-e", "A=1", "--env=B=2",
            "--json", "--runtime-dir", "/r", "--", "/bin/echo", "--", "hi",
        ]))
        var overrides = LimitOverrides()
        overrides.memoryBytes = 32 << 20
        overrides.wallTime = .seconds(2)
        overrides.cpuTime = .seconds(1)
        overrides.cpus = 0.5
        overrides.pids = 8
        overrides.outputBytes = 1024
        #expect(request == RunRequest(
            catalog: "/c", profile: "tiny", image: "python", overrides: overrides, environment: ["A=1", "B=2"],
            json: true, runtimeDirectory: "/r", command: ["/bin/echo", "--", "hi"]))
    }
}
