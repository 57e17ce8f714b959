import API
import BrigCommandLine
import Sandbox

extension RunExitCode {
    /// `brig exec`'s exit status for a finished job: `brig run`'s for the run step's result; 1 when the
    /// compile failed (the compiler's output is on stderr).
    static func of(_ job: JobView) -> Int32 {
        if job.status == .compileError { return 1 }
        if let result = job.result, result.status.isTerminal { return of(result) }
        // No run step result (cancelled while queued, lost, failed before launch): the job's status decides.
        return of(SandboxResult(status: job.status))
    }
}
