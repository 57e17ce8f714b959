import Synchronization

/// Live events per job, for server-sent event streams and for `wait`: subscribers get what is published
/// after they subscribe; the "end" event finishes their streams.
final class EventHub: Sendable {
    private let subscribers = Mutex<[String: [UInt64: AsyncStream<JobEvent>.Continuation]]>([:])
    private let nextToken = Atomic<UInt64>(0)

    func subscribe(_ jobID: String) -> AsyncStream<JobEvent> {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self, bufferingPolicy: .bufferingNewest(4096))
        subscribers.withLock { $0[jobID, default: [:]][token] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { all in
                all[jobID]?[token] = nil
                if all[jobID]?.isEmpty == true { all[jobID] = nil }
            }
        }
        return stream
    }

    func publish(_ event: JobEvent, to jobID: String) {
        let listeners = subscribers.withLock { all in
            let current = all[jobID].map { Array($0.values) } ?? []
            if event.kind == "end" { all[jobID] = nil }
            return current
        }
        for listener in listeners {
            listener.yield(event)
            if event.kind == "end" { listener.finish() }
        }
    }
}
