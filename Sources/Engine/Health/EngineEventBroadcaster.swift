import API
import Logging
import Synchronization

/// Hands every engine event to every subscriber (the event hooks, the audit log, tests), each through its own
/// stream. Events published while nobody listens (the start-up reap, before the server subscribes) are kept, at
/// most `backlogLimit`, and given to the first subscriber.
final class EngineEventBroadcaster: Sendable {
    private struct Subscribers {
        var continuations: [UInt64: AsyncStream<EngineEvent>.Continuation] = [:]
        var backlog: [EngineEvent] = []
        var next: UInt64 = 0
        var everSubscribed = false
    }

    static let backlogLimit = 256
    private let subscribers = Mutex(Subscribers())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func subscribe() -> AsyncStream<EngineEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .bufferingNewest(4096))
        let token = subscribers.withLock { all in
            all.next += 1
            all.continuations[all.next] = continuation
            if !all.everSubscribed {
                all.everSubscribed = true
                for event in all.backlog { continuation.yield(event) }
                all.backlog = []
            }
            return all.next
        }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0.continuations.removeValue(forKey: token) }
        }
        return stream
    }

    func publish(_ event: EngineEvent) {
        var metadata: Logger.Metadata = ["event": "\(event.kind.rawValue)"]
        for (key, value) in event.detail { metadata[key] = "\(value)" }
        switch event.kind {
        case .escalation, .breakerOpened, .readinessLost, .watchdogKill, .configRolledBack, .emergencyStop:
            logger.warning("engine event", metadata: metadata)
        default:
            logger.info("engine event", metadata: metadata)
        }
        let listeners = subscribers.withLock { all in
            if !all.everSubscribed {
                all.backlog.append(event)
                if all.backlog.count > Self.backlogLimit { all.backlog.removeFirst() }
            }
            return Array(all.continuations.values)
        }
        for listener in listeners { listener.yield(event) }
    }
}
