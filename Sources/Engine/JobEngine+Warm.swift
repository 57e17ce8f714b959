import Sandbox

extension JobEngine {
    /// The shape of `job`'s run step: what a warm sandbox must have been prepared with to run it.
    func runShape(_ job: PreparedJob) -> SandboxShape {
        SandboxShape(binds: job.image.binds, limits: job.limits)
    }

    /// A warm sandbox shaped like `job`'s run, prepared by a worker after that job so that the next one like it
    /// starts at once. Nil when it cannot be had: the next job then launches from scratch.
    func prepareWarm(like job: PreparedJob) -> WarmSandbox? {
        guard !draining.load(ordering: .relaxed), !healthState.emergencyStopped.load(ordering: .relaxed) else { return nil }
        do {
            return try launcher.prepare(runShape(job))
        } catch {
            logger.warning("cannot prepare a warm sandbox", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Where a job's steps run: the worker's warm sandbox when it fits the job's run step (its workspace then
    /// takes the files), or a fresh slot and workspace.
    func sandboxPlace(for job: PreparedJob, warm: WarmSandbox?) throws(SandboxError) -> SandboxPlace {
        if let warm, !warm.used, warm.shape == runShape(job) {
            return SandboxPlace(workspace: warm.workspace, warm: warm, lease: nil)
        }
        warm?.close()
        let lease = try launcher.leaseSlot()
        do {
            let workspace = try launcher.makeWorkspace(for: lease, sizeBytes: job.limits.workspaceBytes)
            return SandboxPlace(workspace: workspace, warm: nil, lease: lease)
        } catch {
            lease.release()
            throw error
        }
    }
}

/// A job's workspace, and the warm sandbox or slot lease behind it.
struct SandboxPlace {
    let workspace: Workspace
    let warm: WarmSandbox?
    let lease: SlotLease?

    /// Removes the workspace and frees the slot (closing the warm sandbox does both).
    func release() {
        if let warm {
            warm.close()
        } else {
            try? workspace.remove()
            lease?.release()
        }
    }
}
