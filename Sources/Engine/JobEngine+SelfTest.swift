import API
import Catalog
import Foundation
import Sandbox

extension JobEngine {
    /// Runs every live language's hello world, one after another on the calling thread, and feeds the breakers:
    /// a pass closes a language's breaker and makes its manifest the known-good one, a failure counts toward
    /// opening it.
    func selfTestAll() -> SelfTestReport {
        let state = catalog.withLock { $0 }
        var results: [SelfTestResult] = []
        for name in state.languageNames where !healthState.stopping.load(ordering: .relaxed) {
            guard let (image, language) = state.language(named: name) else { continue }
            let result = runSelfTest(image: image, language: language, profiles: state.profiles)
            record(result, image: image.name, language: language)
            results.append(result)
        }
        return SelfTestReport(results: results)
    }

    /// Keeps `result` as the language's last self-test and feeds its breaker.
    func record(_ result: SelfTestResult, image: String, language: Language) {
        healthState.selfTests.withLock { $0[result.language] = result }
        if result.passed {
            healthState.knownGood.withLock { $0[language.name] = KnownGoodLanguage(image: image, language: language) }
            updateBreaker(language.name) { $0.recordSelfTestPass() }
        } else {
            let reason = "self-test failed: \(result.message ?? "no reason given")"
            updateBreaker(language.name) { $0.recordFailure(reason, threshold: configuration.breakerThreshold) }
        }
    }

    /// Writes the language's hello world into a fresh workspace, compiles it (if compiled) with the default
    /// profile's compile limits and runs it with its limits, as a job would be, and checks that it printed
    /// exactly the expected output. The runs are registered with the watchdog and killed by an emergency stop
    /// like a job's.
    func runSelfTest(image: SandboxImage, language: Language, profiles: [String: Profile]) -> SelfTestResult {
        let at = Date()
        let started = ContinuousClock.now
        func ended(_ failure: String?) -> SelfTestResult {
            let elapsed = ContinuousClock.now - started
            return SelfTestResult(
                language: language.name, passed: failure == nil, at: at,
                durationMilliseconds: Int(Self.seconds(elapsed) * 1000), message: failure)
        }
        let profile = profiles["default"]
        let runLimits = profile?.limits ?? SandboxLimits()
        let compileLimits = profile?.compileLimits ?? runLimits
        let environment = language.environment(over: image.environment)
        let name = "self-test \(language.name) \(healthState.probeCounter.add(1, ordering: .relaxed).newValue)"
        defer { healthState.endings.withLock { _ = $0.removeValue(forKey: name) } }
        do throws(SandboxError) {
            let signal = try CancellationSignal()
            let lease = try launcher.leaseSlot()
            defer { lease.release() }
            let workspace = try launcher.makeWorkspace(for: lease, sizeBytes: runLimits.workspaceBytes)
            defer { try? workspace.remove() }
            try workspace.write(language.sourceFile, Array(language.hello.source.utf8))
            if let compile = language.compileCommand {
                var spec = SandboxSpec(command: compile, environment: environment, binds: image.binds, limits: compileLimits)
                spec.workspace = workspace
                let compiled = runWatched(name, spec, cancellation: signal, onOutput: nil)
                if compiled.status != .ok { return ended("the compile step ended \(Self.describe(compiled))") }
            }
            var spec = SandboxSpec(command: language.runCommand(arguments: []), environment: environment, binds: image.binds, limits: runLimits)
            spec.workspace = workspace
            let ran = runWatched(name, spec, cancellation: signal, onOutput: nil)
            if ran.status != .ok { return ended("the run ended \(Self.describe(ran))") }
            if ran.stdout.text != language.hello.stdout {
                return ended("printed \(String(ran.stdout.text.prefix(200)).debugDescription), expected \(language.hello.stdout.debugDescription)")
            }
            return ended(nil)
        } catch {
            return ended("cannot prepare its sandbox: \(error)")
        }
    }

    /// "internal_error: cannot execute /usr/bin/nope: No such file or directory", "exit_nonzero (exit 1): <stderr>".
    static func describe(_ result: SandboxResult) -> String {
        var text = result.status.rawValue
        if let code = result.exitCode, code != 0 { text += " (exit \(code))" }
        if let failure = result.failure { return text + ": " + failure.message }
        let stderr = excerpt(result.stderr.text)
        return stderr.isEmpty ? text : text + ": " + stderr
    }

    static func excerpt(_ text: String, limit: Int = 200) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.count <= limit ? trimmed : String(trimmed.prefix(limit)) + "..."
    }
}
