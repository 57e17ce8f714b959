import API
import Synchronization

/// Live events per job, for server-sent event streams and for `wait`. A running job's events so far are kept
/// (output is capped by the profile, so this is bounded) and replayed to each new subscriber before the live
/// ones, so a client that subscribes a moment after the job started misses nothing. The "end" event finishes
/// the streams and drops the history.
final class EventHub: Sendable {
    private struct Channel {
        var history: [JobEvent] = []
        var subscribers: [UInt64: AsyncStream<JobEvent>.Continuation] = [:]
    }

    private let channels = Mutex<[String: Channel]>([:])
    private let nextToken = Atomic<UInt64>(0)

    func subscribe(_ jobID: String) -> AsyncStream<JobEvent> {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self, bufferingPolicy: .unbounded)
        channels.withLock { all in
            for event in all[jobID]?.history ?? [] { continuation.yield(event) }
            all[jobID, default: Channel()].subscribers[token] = continuation
        }
        continuation.onTermination = { [weak self] _ in
            self?.channels.withLock { all in
                all[jobID]?.subscribers[token] = nil
                if let channel = all[jobID], channel.subscribers.isEmpty, channel.history.isEmpty { all[jobID] = nil }
            }
        }
        return stream
    }

    func publish(_ event: JobEvent, to jobID: String) {
        let listeners = channels.withLock { all in
            let current = all[jobID].map { Array($0.subscribers.values) } ?? []
            if event.kind == "end" {
                all[jobID] = nil
            } else {
                all[jobID, default: Channel()].history.append(event)
            }
            return current
        }
        for listener in listeners {
            listener.yield(event)
            if event.kind == "end" { listener.finish() }
        }
    }
}
