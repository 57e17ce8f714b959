/// One event of a `text/event-stream`: its `event:` name ("message" when it has none) and its `data:` lines
/// joined with newlines.
struct ServerSentEvent: Sendable, Equatable {
    let event: String
    let data: String
}
