import Hummingbird

/// Identifies the caller before any route runs, so every handler gets a `Peer` and none forgets to check.
struct PeerMiddleware: RouterMiddleware {
    typealias Context = BrigRequestContext
    let identification: PeerIdentification

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.peer = try await identification.peer(of: context.channel)
        return try await next(request, context)
    }
}
