import API
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
        return await Self.onThread { self.reloadCatalog() }
    }

    /// Loads the operator's files again; a broken file keeps its previous version live. Every language whose
    /// manifest (or image) changed runs its self-test before it takes traffic; one that fails rolls back to its
    /// last known-good manifest (see `gate`). Running and queued jobs keep the settings they were accepted with.
    /// Reloads run one at a time.
    @discardableResult
    public func reloadCatalog() -> ReloadReport {
        healthState.reloading.withLock { _ in
            do throws(CatalogError) {
                let loaded = try loadCatalog()
                let previous = catalog.withLock { $0 }
                let (next, notes) = gate(previous.merged(with: loaded), previous: previous)
                catalog.withLock { $0 = next }
                for error in next.errors { logger.warning("operator file refused; its previous version stays live", metadata: ["error": "\(error)"]) }
                logger.info("reloaded", metadata: ["profiles": "\(next.profiles.count)", "languages": "\(next.languageNames.count)"])
                startProbe()
                return ReloadReport(
                    profiles: next.profiles.keys.sorted(), languages: next.languageNames,
                    errors: next.errors.map(\.description) + notes)
            } catch {
                let state = catalog.withLock { $0 }
                return ReloadReport(profiles: state.profiles.keys.sorted(), languages: state.languageNames, errors: [error.description])
            }
        }
    }

    /// The safety gate of a reload: self-tests each language of `next` that differs from `previous` (its
    /// manifest, or its image's binds or environment). A pass makes it known-good and closes its breaker. A
    /// failure puts its last known-good manifest (or, without one, the previous live one) back into `next` and
    /// fires config_rolled_back, within the rollback rate limit; past the limit, or for a new language with
    /// nothing to go back to, the failing manifest goes live with its breaker open and an escalation fires.
    /// Returns the state to make live and a sentence per language it did not take as is.
    func gate(_ proposed: CatalogState, previous: CatalogState) -> (CatalogState, [String]) {
        var next = proposed
        var notes: [String] = []
        for name in proposed.languageNames {
            guard let (image, language) = proposed.language(named: name) else { continue }
            let old = previous.language(named: name)
            if let (oldImage, oldLanguage) = old, oldLanguage == language, oldImage.name == image.name,
                oldImage.binds == image.binds, oldImage.environment == image.environment {
                continue
            }
            let result = runSelfTest(image: image, language: language, profiles: proposed.profiles)
            healthState.selfTests.withLock { $0[name] = result }
            if result.passed {
                healthState.knownGood.withLock { $0[name] = KnownGoodLanguage(image: image.name, language: language) }
                updateBreaker(name) { $0.recordSelfTestPass() }
                continue
            }
            let failure = result.message ?? "self-test failed"
            let target = healthState.knownGood.withLock { $0[name] }
                ?? old.map { KnownGoodLanguage(image: $0.0.name, language: $0.1) }
            let canRollBack = target.map { next.images[$0.image] != nil && $0.language != language } ?? false
            if let target, canRollBack, healthState.rollbacks.withLock({ $0.allow(name) }) {
                next.images[image.name]?.languages[name] = nil
                next.images[target.image]?.languages[name] = target.language
                let note = "language \(name): its new manifest failed its self-test (\(failure)); rolled back to the last known-good one"
                notes.append(note)
                publish(.configRolledBack, ["language": name, "reason": failure, "image": target.image])
                continue
            }
            let reason: String
            if canRollBack {
                let window = DurationText(configuration.rollbackWindow).description
                reason = "its reloaded manifest fails its self-test (\(failure)) and it was rolled back \(configuration.rollbackLimit) times within \(window) already: fix sandbox-images/\(image.name)/languages/\(name).toml and reload"
            } else {
                reason = "its manifest fails its self-test (\(failure)) and there is no known-good one to roll back to"
            }
            notes.append("language \(name): \(reason)")
            updateBreaker(name) { $0.forceOpen(reason) }
            publish(.escalation, ["language": name, "reason": reason])
        }
        return (next, notes)
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
