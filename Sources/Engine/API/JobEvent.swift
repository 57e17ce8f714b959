/// One server-sent event of `GET /v1/jobs/{id}/events`: `event: <kind>` and `data: <json>`.
/// Kinds: "state" (`{"status": "running"}`), "stdout" / "stderr" (`{"step": "run"|"compile", "text": "..."}`
/// or base64 in "data" for non-UTF-8 chunks), and "end" (the whole JobView), after which the stream closes.
public struct JobEvent: Sendable, Equatable {
    public var kind: String
    /// A JSON object, already encoded.
    public var data: String

    public init(kind: String, data: String) {
        self.kind = kind
        self.data = data
    }

    /// The event as it goes on the wire.
    public var serverSentEvent: String {
        "event: \(kind)\ndata: \(data)\n\n"
    }
}
