import NIOCore

/// A Swift task executor that runs its jobs on one NIO event loop. The server's tasks (a connection's accept, its
/// request's reading, the route, the answer's writing) prefer it, so each step runs on the thread that did the
/// socket I/O instead of hopping to Swift's global pool and back: a synchronous job's request took four such
/// thread wake-ups before it reached the engine.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
