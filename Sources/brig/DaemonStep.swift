import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// One step of a session (the StepView of the session contract), decoded by the client.
struct DaemonStep: Decodable, Sendable {
    let id: String
    let session: String?
    let index: Int?
    let cmd: [String]?
    let background: Bool?
    /// "queued", "running", or a terminal status of the taxonomy; kept as text so a status this client does
    /// not know yet is shown rather than refused.
    let status: String
    let message: String?
    let result: SandboxResult?

    var isRunning: Bool { status == "queued" || status == "running" }

    enum CodingKeys: String, CodingKey {
        case id, session, index, cmd, background, status, message, result
    }
}
