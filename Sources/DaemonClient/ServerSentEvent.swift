/// One event of a `text/event-stream`: its `event:` name ("message" when it has none) and its `data:` lines
/// joined with newlines.
package struct ServerSentEvent: Sendable, Equatable {
    package let event: String
    package let data: String
}
