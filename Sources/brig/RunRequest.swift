import ArgumentParser
import BrigCommandLine
import Catalog
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// What `brig run` was asked to do, whichever parser read it: `RunCommand` (ArgumentParser, for help and
/// for every mistake) or `RunRequest(quickParsing:)` (the common case, in microseconds).
struct RunRequest: Equatable {
    /// `--catalog`, as given (nil: located as `CatalogOptions` says).
    var catalog: String?
    var profile = "default"
    var image = "host"
    var overrides = LimitOverrides()
    /// `-e KEY=VALUE`, in order (a later KEY wins).
    var environment: [String] = []
    var json = false
    var runtimeDirectory = Self.defaultRuntimeDirectory
    var command: [String] = []

    static var defaultRuntimeDirectory: String { ProcessEnvironment.value(of: "BRIG_RUNTIME_DIR") ?? "/run/brig" }

    /// The checks both parsers make of `-e` entries.
    static func checkEnvironment(_ entries: [String]) throws(ValidationError) {
        for entry in entries where !entry.contains("=" as Character) || entry.hasPrefix("=") {
            throw ValidationError("--env \(entry.debugDescription): expected KEY=VALUE")
        }
    }

    /// Runs the command and exits with its `RunExitCode`; never returns.
    func run() throws -> Never {
        // The sandbox's network namespace is made on a thread of its own while the profile is read, not within
        // the clone (~0.5 ms of it); like a session's, it is root's, with lo up. Should that fail, the clone
        // makes one as usual.
        let network = try? NetworkNamespace.Pending()
        let limits: SandboxLimits
        let sandboxImage: SandboxImage
        let launcher: SandboxLauncher
        do throws(any Error) {
            // Only the two files this run needs: loading the whole catalog (every language) costs milliseconds.
            let (chosen, loadedImage) = try OperatorCatalog.profileAndImage(
                profile: profile, image: image, directory: CatalogOptions.directory(explicit: catalog))
            limits = try chosen.limits(applying: overrides)
            sandboxImage = loadedImage
            launcher = try SandboxLauncher(
                runtimeDirectory: runtimeDirectory, cgroups: try CgroupDetector.detect(),
                seccomp: try OperatorCatalog.seccompProgram(for: chosen), launchesFromZygote: false)
        } catch let error as CatalogError {
            RunExitCode.configuration.exit(saying: error.description)
        } catch let error as SandboxError {
            RunExitCode.forSetup(error).exit(saying: error.description)
        } catch {
            RunExitCode.sandboxFailed.exit(saying: "\(error)")
        }
        var variables = sandboxImage.environment
        for entry in environment {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            variables[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let spec = SandboxSpec(
            command: command, environment: variables, binds: sandboxImage.binds, limits: limits,
            stdin: Self.standardInput(), network: try? network?.namespace())
        let cancellation = try CancellationSignal()
        InterruptForwarding.install(cancellation)
        let streamLive = !json
        let result = launcher.run(spec, cancellation: cancellation) { stream, chunk in
            guard streamLive else { return }
            (stream == .stdout ? StandardStream.output : .error).write(chunk)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(result)
            data.withUnsafeBytes { StandardStream.output.write($0) }
            StandardStream.output.write("\n")
        } else {
            let summary = "brig: " + ResultSummary(result: result, limits: limits).line + "\n"
            StandardStream.error.write(summary)
        }
        ProcessExit.now(RunExitCode.of(result))
    }

    /// All of stdin when it is a file or a pipe; nothing when it is a terminal (nobody would type to it).
    private static func standardInput() -> [UInt8] {
        guard isatty(STDIN_FILENO) == 0 else { return [] }
        return FileContents.standardInput()
    }
}
