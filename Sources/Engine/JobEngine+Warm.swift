import API
import Sandbox

extension JobEngine {
    /// The shape of `job`'s run step: what a warm sandbox must have been prepared with to run it.
    func runShape(_ job: PreparedJob) -> SandboxShape {
        SandboxShape(binds: job.image.binds, limits: job.limits)
    }

    /// A warm sandbox of `shape`, prepared by a worker's spare thread while the worker runs a job like it. Nil
    /// when it cannot be had (draining, stopped, or the launch failed): the next job launches from scratch.
    func prepareWarm(_ shape: SandboxShape, cancellation: CancellationSignal? = nil) -> WarmSandbox? {
        guard !draining.load(ordering: .relaxed), !healthState.emergencyStopped.load(ordering: .relaxed) else { return nil }
        do {
            return try launcher.prepare(shape, cancellation: cancellation)
        } catch {
            logger.warning("cannot prepare a warm sandbox", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Where a job's steps run: a spare sandbox of its run step's shape (its workspace then takes the files),
    /// or a fresh slot and workspace.
    func sandboxPlace(for job: PreparedJob, spare: WarmSpare?) throws(SandboxError) -> SandboxPlace {
        if let spare, let warm = spare.take(runShape(job)) {
            return SandboxPlace(workspace: warm.workspace, warm: warm, lease: nil, retire: spare.retire)
        }
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
    /// Where a used warm sandbox goes to be closed (its spare thread, off the worker's path).
    var retire: (WarmSandbox) -> Void = { $0.close() }

    /// Removes the workspace and frees the slot (closing the warm sandbox does both).
    func release() {
        if let warm {
            retire(warm)
        } else {
            try? workspace.remove()
            lease?.release()
        }
    }
}
