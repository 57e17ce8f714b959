import API
import Sandbox

extension EventHub {
    /// What a client of `.../events` reads, given `live` (subscribed before the state was read, so nothing falls
    /// between the two): the current state then the live events, or only the end (`endData`) when the job or
    /// step is already over.
    static func stream(
        following live: AsyncStream<JobEvent>, status: SandboxStatus, endData: @autoclosure () -> String
    ) -> AsyncStream<JobEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self, bufferingPolicy: .bufferingNewest(4096))
        if status.isTerminal {
            continuation.yield(JobEvent(kind: "end", data: endData()))
            continuation.finish()
            return stream
        }
        continuation.yield(JobEvent(kind: "state", data: #"{"status":"\#(status.rawValue)"}"#))
        let forward = Task {
            for await event in live { continuation.yield(event) }
            continuation.finish()
        }
        continuation.onTermination = { _ in forward.cancel() }
        return stream
    }
}
