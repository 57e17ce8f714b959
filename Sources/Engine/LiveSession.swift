import API
import Catalog
import Foundation
import Sandbox
import Synchronization

/// What this daemon holds for one active session: its identity lease, its mounted workspace, its network
/// namespace, what it was resolved to in the catalog, and its running steps.
final class LiveSession: Sendable {
    let id: String
    let owner: UInt32
    let lease: SlotLease
    let workspace: Workspace
    let network: NetworkNamespace
    let profile: Profile
    let image: SandboxImage
    /// Each step's limits when it asks for nothing.
    let defaults: SandboxLimits
    let maxSteps: Int
    let cpuBudget: Duration
    let expiresAt: Date
    let idleSeconds: Double
    let running = Mutex<[String: RunningStep]>([:])
    /// Set once the session is ending: no new step starts.
    let ending = Atomic<Bool>(false)
    /// One file operation or archive at a time per session, so two uploads do not interleave.
    let fileLock = Mutex<Void>(())

    init(
        id: String, owner: UInt32, lease: SlotLease, workspace: Workspace, network: NetworkNamespace, profile: Profile,
        image: SandboxImage, defaults: SandboxLimits, maxSteps: Int, cpuBudget: Duration, expiresAt: Date,
        idleSeconds: Double
    ) {
        self.id = id
        self.owner = owner
        self.lease = lease
        self.workspace = workspace
        self.network = network
        self.profile = profile
        self.image = image
        self.defaults = defaults
        self.maxSteps = maxSteps
        self.cpuBudget = cpuBudget
        self.expiresAt = expiresAt
        self.idleSeconds = idleSeconds
    }

    /// Whether a foreground step is running (a session busy building is not idle; a background server alone is).
    var hasForegroundStep: Bool { running.withLock { $0.values.contains { !$0.background } } }
}
