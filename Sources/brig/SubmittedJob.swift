import Sandbox

/// The answer to `POST /v1/jobs` with `wait: false`: the job's id and status (the daemon may send the whole
/// JobView; these are the fields a client needs from it).
struct SubmittedJob: Decodable {
    let id: String
    let status: SandboxStatus
}
