import API
import Engine
import Foundation
import Hummingbird
import Logging

/// The outermost middleware: whatever a route or the router throws leaves as `{"error": {...}}` JSON with the
/// right status. Anything that is not an `APIError` or `HTTPError` is a bug in brig: logged, answered 500.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = BrigRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return APIResponse.error(error)
        } catch let error as HTTPError {
            return APIResponse.error(Self.apiError(for: error, request: request))
        } catch {
            context.logger.error(
                "request failed", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return APIResponse.error(
                APIError("internal_error", "brig failed to answer this request; see the daemon's log", httpStatus: 500))
        }
    }

    static func apiError(for error: HTTPError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            return APIError("not_found", "no route for \(request.method) \(request.uri.path)", httpStatus: 404)
        case .contentTooLarge:
            return APIError("body_too_large", error.body ?? "the request body is too large", httpStatus: 413)
        default:
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return APIError(code, error.body ?? error.status.reasonPhrase, httpStatus: error.status.code)
        }
    }
}
