import API
import Catalog
import Sandbox

/// A validated job, everything resolved against the catalog of the moment it was accepted: what runs it
/// needs no further lookups.
struct PreparedJob: Sendable {
    let id: String
    let owner: UInt32
    let request: JobRequest
    let profile: Profile
    let image: SandboxImage
    /// nil for agent jobs.
    let language: Language?
    let limits: SandboxLimits
    let compileLimits: SandboxLimits
    /// Workspace-relative path → content.
    let files: [(path: String, bytes: [UInt8])]
    /// Agent jobs: the checked steps.
    var agent: AgentPlan? = nil
}
