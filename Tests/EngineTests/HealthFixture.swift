import API
import Catalog
@testable import Engine
import Foundation
import Logging
import Metrics
import Sandbox
import Store
import Synchronization
import Testing

/// A catalog of its own (the repository's profiles, a "wide" profile that runs 20 jobs at once, and the host
/// image with only a few quick languages so self-tests stay cheap) in a temporary folder, and an engine on it.
final class HealthFixture: Sendable {
    static let root = JobEngineTests.root
    static let languages = ["bash", "perl", "python"]
    private static let counter = Atomic<Int>(0)

    let directory: String
    var catalogDirectory: String { directory + "/catalog" }
    /// This fixture's own cgroup parent, so a test can see its engine's sandboxes and no other suite's.
    var cgroupParent: String { "brig-test-" + (directory as NSString).lastPathComponent }
    var languageDirectory: String { catalogDirectory + "/sandbox-images/host/languages" }

    init() throws {
        // Under /var/tmp, not /tmp: the image shows a folder in it to its sandboxes (for `notExecutable`), and
        // a sandbox's /tmp is its own.
        directory = "/var/tmp/brig-health-tests-\(getpid())-\(Self.counter.add(1, ordering: .relaxed).newValue)"
        let manager = FileManager.default
        try manager.createDirectory(atPath: languageDirectory, withIntermediateDirectories: true)
        try manager.copyItem(atPath: "\(Self.root)/profiles", toPath: "\(catalogDirectory)/profiles")
        let wide = try String(contentsOfFile: "\(Self.root)/profiles/default.toml", encoding: .utf8)
            .replacingOccurrences(of: "concurrency = 2", with: "concurrency = 32")
        try wide.write(toFile: "\(catalogDirectory)/profiles/wide.toml", atomically: true, encoding: .utf8)
        try manager.createDirectory(atPath: directory + "/shown", withIntermediateDirectories: true)
        try Self.showing(directory + "/shown", in: "\(Self.root)/sandbox-images/host/image.toml")
            .write(toFile: "\(catalogDirectory)/sandbox-images/host/image.toml", atomically: true, encoding: .utf8)
        try "this is not a program\n".write(toFile: notExecutable, atomically: true, encoding: .utf8)
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: notExecutable)
        for name in Self.languages { try restore(name) }
    }

    /// Puts the repository's manifest of `language` back.
    func restore(_ language: String) throws {
        let target = "\(languageDirectory)/\(language).toml"
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: "\(Self.root)/sandbox-images/host/languages/\(language).toml", toPath: target)
    }

    /// An executable file, shown inside the image, that is no program (no ELF header, no #! line): a manifest
    /// whose run command names it loads (the loader checks only that the program exists, is executable and is
    /// shown), and every run of it ends internal_error ("cannot execute ...: Exec format error").
    var notExecutable: String { directory + "/shown/not-a-program" }

    /// `imageFile`'s text with `folder` added to its read_only paths.
    static func showing(_ folder: String, in imageFile: String) throws -> String {
        let text = try String(contentsOfFile: imageFile, encoding: .utf8)
        let shown = text.replacingOccurrences(of: "read_only = [\n", with: "read_only = [\n    \"\(folder)\",\n")
        #expect(shown != text, "image.toml has no read_only list")
        return shown
    }

    /// Rewrites `language`'s manifest so that it loads but its programs cannot start: every job and self-test of
    /// it ends internal_error. `variant` makes each broken version differ.
    func breakManifest(_ language: String, variant: Int = 0) throws {
        let path = "\(languageDirectory)/\(language).toml"
        let text = try String(contentsOfFile: "\(Self.root)/sandbox-images/host/languages/\(language).toml", encoding: .utf8)
        let broken = text.replacing(#/run = \["[^"]+"/#, with: "run = [\"\(notExecutable)\", \"variant-\(variant)\"")
        #expect(broken != text, "the manifest's run line was not found")
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func engine(
        slots: Int = 2, start: Bool = true, store: JobStore? = nil, configure: (inout EngineConfiguration) -> Void = { _ in }
    ) throws -> JobEngine {
        let launcher = try SandboxLauncher(
            runtimeDirectory: "/run/brig-test", cgroups: try CgroupDetector.detect(parent: cgroupParent),
            seccomp: try SeccompPolicy.default.compile())
        var configuration = EngineConfiguration(slots: slots, queueCapacity: 100)
        configuration.selfTestInterval = nil
        configuration.healthInterval = .milliseconds(200)
        configuration.breakerThreshold = 2
        configure(&configuration)
        let catalog = catalogDirectory
        let engine = try JobEngine(
            launcher: launcher, store: try store ?? JobStore.temporary(), configuration: configuration,
            logger: Logger(label: "test"),
            loadCatalog: { () throws(CatalogError) -> OperatorCatalog in OperatorCatalog(directory: catalog) })
        if start { try engine.start() }
        return engine
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Every engine event since it subscribed.
final class EventLog: Sendable {
    private let events = Mutex<[EngineEvent]>([])
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ engine: JobEngine) {
        let stream = engine.events()
        let reader = Task { [weak self] in
            for await event in stream { self?.events.withLock { $0.append(event) } }
        }
        task.withLock { $0 = reader }
    }

    var all: [EngineEvent] { events.withLock { $0 } }

    func of(_ kind: EngineEvent.Kind) -> [EngineEvent] { all.filter { $0.kind == kind } }

    /// Waits (polling) for the `count`th event of `kind`. The budget counts looks 20 ms apart, not the wall
    /// clock: beside the other suites this task (and the reader's) may wait long for a turn on the pool.
    @discardableResult
    func wait(for kind: EngineEvent.Kind, count: Int = 1, seconds: Double = 30) async throws -> EngineEvent {
        for _ in 0...Int(seconds * 50) {
            let matching = of(kind)
            if matching.count >= count { return matching[count - 1] }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no \(kind.rawValue) event #\(count) within \(seconds)s; saw \(all.map(\.kind.rawValue))")
        throw CancellationError()
    }

    deinit { task.withLock { $0?.cancel() } }
}
