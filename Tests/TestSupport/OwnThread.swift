// Testing comes with the toolchain's shared runtime only: a `--static-swift-stdlib` build of the package (which
// builds this target, not the tests) has no Testing module, and needs none.
#if canImport(Testing)
import Foundation
import Testing

/// Runs each test of a suite on a thread of its own instead of Swift's cooperative pool. The pool has one
/// thread per core (two here), and a test that blocks (waiting for a daemon, a sandbox, a process) holds one of
/// them for as long as it blocks: two such tests at once starved every async test of the run for up to a
/// minute. Blocking suites carry `.ownThread`. As many of their tests run at once as there are cores (the
/// pool used to bound them so; unbounded, the machine's load broke the tests' own time limits), and a test
/// waiting for its turn waits without holding a thread.
public struct OwnThread: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // A suite's own scope holds no test: only test cases need a thread.
        guard testCase != nil else { return try await function() }
        await BlockingTestTurns.shared.take()
        defer { BlockingTestTurns.shared.give() }
        let executor = ThreadTaskExecutor(name: test.name)
        defer { executor.finish() }
        try await withTaskExecutorPreference(executor) { try await function() }
    }
}

extension Trait where Self == OwnThread {
    /// Each test on a thread of its own (see `OwnThread`).
    public static var ownThread: Self { OwnThread() }
}

/// A task executor with one thread that runs its jobs in order, until `finish`.
final class ThreadTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = String(name.prefix(15))
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs already enqueued have run.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
#endif
