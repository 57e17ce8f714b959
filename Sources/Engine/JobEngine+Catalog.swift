import Catalog
import Foundation
import Sandbox

extension JobEngine {
    public func languages() async -> [LanguageView] {
        let state = catalog.withLock { $0 }
        let probed = versions.withLock { $0 }
        return state.images.keys.sorted().flatMap { imageName -> [LanguageView] in
            guard let image = state.images[imageName] else { return [] }
            return image.languages.keys.sorted().compactMap { name in
                guard let language = image.languages[name] else { return nil }
                return LanguageView(
                    name: name, image: imageName, version: probed[name], extensions: language.extensions,
                    compiled: language.isCompiled)
            }
        }
    }

    public func profiles() async -> [ProfileView] {
        let state = catalog.withLock { $0 }
        return state.profiles.keys.sorted().compactMap { name in
            guard let profile = state.profiles[name] else { return nil }
            return ProfileView(
                name: name, description: profile.description, limits: Self.text(of: profile.limits),
                maxima: Self.text(of: profile.maxima), concurrency: profile.concurrency)
        }
    }

    public func reload(peer: Peer) async throws(APIError) -> ReloadReport {
        guard peer.isOperator else { throw APIError("forbidden", "only operators may reload", httpStatus: 403) }
        return reloadCatalog()
    }

    /// Loads the operator's files again; a broken file keeps its previous version live. Running and queued
    /// jobs keep the settings they were accepted with.
    @discardableResult
    public func reloadCatalog() -> ReloadReport {
        do {
            let loaded = try loadCatalog()
            let next = catalog.withLock { state in
                state = state.merged(with: loaded)
                return state
            }
            for error in next.errors { logger.warning("operator file refused; its previous version stays live", metadata: ["error": "\(error)"]) }
            logger.info("reloaded", metadata: ["profiles": "\(next.profiles.count)", "languages": "\(next.languageNames.count)"])
            startProbe()
            return ReloadReport(profiles: next.profiles.keys.sorted(), languages: next.languageNames, errors: next.errors.map(\.description))
        } catch {
            let state = catalog.withLock { $0 }
            return ReloadReport(profiles: state.profiles.keys.sorted(), languages: state.languageNames, errors: [error.description])
        }
    }

    /// Runs each language's version probe in a sandbox (on this thread) and remembers the first line.
    func probeLanguages() {
        let state = catalog.withLock { $0 }
        var limits = SandboxLimits()
        limits.wallTime = .seconds(10)
        limits.memoryBytes = 512 << 20
        limits.pids = 64
        for (imageName, image) in state.images {
            for (name, language) in image.languages where !draining.load(ordering: .relaxed) {
                let result = launcher.run(SandboxSpec(
                    command: language.versionCommand, environment: language.environment(over: image.environment),
                    binds: image.binds, limits: limits))
                let text = Language.versionLine(stdout: result.stdout.text, stderr: result.stderr.text)
                if result.status == .ok, let text {
                    versions.withLock { $0[name] = text }
                } else {
                    logger.warning("version probe failed", metadata: ["language": "\(name)", "image": "\(imageName)", "status": "\(result.status.rawValue)"])
                }
            }
        }
    }

    static func text(of limits: SandboxLimits) -> [String: String] {
        [
            "wall_time": DurationText(limits.wallTime).description, "cpu_time": DurationText(limits.cpuTime).description,
            "memory": ByteSize(bytes: limits.memoryBytes).description, "cpus": "\(limits.cpus)", "pids": "\(limits.pids)",
            "output": ByteSize(bytes: UInt64(limits.outputBytes)).description, "workspace": ByteSize(bytes: limits.workspaceBytes).description,
            "tmp": ByteSize(bytes: limits.tmpBytes).description, "open_files": "\(limits.openFiles)",
        ]
    }
}
