/// One server-sent event of `GET /v1/jobs/{id}/events`: `event: <kind>` and `data: <json>`.
/// Kinds: "state" (`{"status": "running"}`), "stdout" / "stderr" (`{"step": "run"|"compile", "text": "..."}`
/// or base64 in "data" for non-UTF-8 chunks), and "end" (the whole JobView), after which the stream closes.
public struct JobEvent: Sendable, Equatable {
    public var kind: String
    /// An end event's job, for waiters in this process: they need not decode `data`.
    public var job: JobView?
    private var encoded: String?

    public init(kind: String, data: String, job: JobView? = nil) {
        self.kind = kind
        self.encoded = data
        self.job = job
    }

    /// The "end" event of `job`. Its JSON is encoded only if a follower of the event stream asks for it: a
    /// synchronous job's own waiter takes `job` as it is.
    public init(end job: JobView) {
        self.kind = "end"
        self.job = job
    }

    /// A JSON object.
    public var data: String {
        if let encoded { return encoded }
        return job.map(APIJSON.text) ?? "{}"
    }

    /// The event as it goes on the wire.
    public var serverSentEvent: String {
        "event: \(kind)\ndata: \(data)\n\n"
    }

    public static func == (left: JobEvent, right: JobEvent) -> Bool {
        left.kind == right.kind && left.job == right.job && left.data == right.data
    }
}
