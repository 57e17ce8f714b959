import API
import Engine
import Hummingbird

/// 405 with `Allow` for every method a known path does not answer.
enum MethodNotAllowed {
    static func register(_ methods: [(path: RouterPath, allowed: [HTTPRequest.Method])], on router: some RouterMethods<BrigRequestContext>) {
        let every: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
        for (path, allowed) in methods {
            // HEAD is answered wherever GET is (the router generates it).
            let answered = allowed.contains(.get) ? allowed + [.head] : allowed
            let allowHeader = answered.map(\.rawValue).joined(separator: ", ")
            for method in every where !answered.contains(method) {
                router.on(path, method: method) { request, _ in
                    APIResponse.error(
                        APIError(
                            "method_not_allowed",
                            "\(request.method) is not allowed on \(request.uri.path); allowed: \(allowHeader)",
                            httpStatus: 405),
                        headers: [.allow: allowHeader])
                }
            }
        }
    }
}
