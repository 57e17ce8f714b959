import Synchronization

/// What the client threads and the memory sampler of one throughput load share: the latencies, the first
/// failure, the daemon's peak RSS and whether the load is still on.
final class BenchLoadProgress: Sendable {
    let latencies = Mutex(Samples())
    let failure = Mutex<(any Error)?>(nil)
    let peakResidentKilobytes = Atomic<Int>(0)
    let running = Atomic<Bool>(true)
}
