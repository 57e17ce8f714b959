/// The answer to `GET /v1/sessions`: one page, newest first, and the cursor of the next.
struct DaemonSessionPage: Decodable, Sendable {
    let sessions: [DaemonSession]
    let next: String?
}
