import Sandbox

extension Profile {
    /// The limits for one job: the profile's, with what the job asked for, each checked against the maxima.
    /// Errors name the profile as the file and the limit as the key ("memory").
    public func limits(applying overrides: LimitOverrides) throws(CatalogError) -> SandboxLimits {
        var result = limits
        if let value = overrides.wallTime { result.wallTime = value }
        if let value = overrides.cpuTime { result.cpuTime = value }
        if let value = overrides.memoryBytes { result.memoryBytes = value }
        if let value = overrides.cpus { result.cpus = value }
        if let value = overrides.pids { result.pids = value }
        if let value = overrides.outputBytes { result.outputBytes = value }
        if let value = overrides.outputOverflow { result.outputOverflow = value }
        if let value = overrides.workspaceBytes { result.workspaceBytes = value }
        if let value = overrides.tmpBytes { result.tmpBytes = value }
        if let value = overrides.openFiles { result.openFiles = value }
        if let value = overrides.fileSizeBytes { result.fileSizeBytes = value }
        if let value = overrides.stackBytes { result.stackBytes = value }

        if let problem = result.firstProblem() {
            throw CatalogError(file: name, key: problem.key, reason: problem.reason)
        }
        if let excess = result.firstExcess(over: maxima) {
            throw CatalogError(
                file: name, key: excess.key,
                reason: "\(excess.value) is above the maximum of \(excess.maximum) in profile \(name)")
        }
        return result
    }
}
