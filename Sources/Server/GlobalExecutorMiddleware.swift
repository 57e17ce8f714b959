import Hummingbird

/// Runs the routes behind it on Swift's global pool instead of the server's event loop (EventLoopTaskExecutor):
/// for routes whose work may block for long (a workspace's files and archives, a session's end, the runbook's
/// actions), which must not hold up every other connection's I/O meanwhile. Job submission and lookups stay on
/// the event loop, where a synchronous job's request saves a thread hop at each step.
struct GlobalExecutorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await next(request, context)
        }
    }
}
