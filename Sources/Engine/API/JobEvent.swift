/// One server-sent event of `GET /v1/jobs/{id}/events`: `event: <kind>` and `data: <json>`.
/// Kinds: "state" (`{"status": "running"}`), "stdout" / "stderr" (`{"step": "run"|"compile", "text": "..."}`
/// or base64 in "data" for non-UTF-8 chunks), and "end" (the whole JobView), after which the stream closes.
public struct JobEvent: Sendable, Equatable {
    public var kind: String
    /// A JSON object, already encoded.
    public var data: String
    /// An end event's job as `data` encodes it, for waiters in this process: they need not decode `data`.
    public var job: JobView?

    public init(kind: String, data: String, job: JobView? = nil) {
        self.kind = kind
        self.data = data
        self.job = job
    }

    /// The event as it goes on the wire.
    public var serverSentEvent: String {
        "event: \(kind)\ndata: \(data)\n\n"
    }
}
