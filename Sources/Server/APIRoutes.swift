import API
import Engine
import Hummingbird

/// The v1 routes: each decodes and checks its input, asks the `JobService` and encodes the answer.
struct APIRoutes: Sendable {
    let service: any JobService
    let bodyReader: JSONBodyReader

    /// Each route path and the methods it answers; any other method there is a 405 naming these.
    static let methods: [(path: RouterPath, allowed: [HTTPRequest.Method])] = [
        ("/v1/jobs", [.get, .post]),
        ("/v1/jobs/:id", [.get, .delete]),
        ("/v1/jobs/:id/events", [.get]),
        ("/v1/languages", [.get]),
        ("/v1/profiles", [.get]),
        ("/v1/openapi.yaml", [.get]),
        ("/healthz", [.get]),
    ]

    func register(on router: some RouterMethods<BrigRequestContext>) {
        router.post("/v1/jobs") { request, context in try await submit(request, context) }
        router.get("/v1/jobs") { request, context in try await list(request, context) }
        router.get("/v1/jobs/:id") { _, context in
            try APIResponse.json(try await service.job(try jobID(context), peer: try context.requirePeer()))
        }
        router.delete("/v1/jobs/:id") { _, context in
            try APIResponse.json(try await service.cancel(try jobID(context), peer: try context.requirePeer()))
        }
        router.get("/v1/jobs/:id/events") { _, context in try await events(context) }
        router.get("/v1/languages") { _, _ in try APIResponse.json(await service.languages()) }
        router.get("/v1/profiles") { _, _ in try APIResponse.json(await service.profiles()) }
        router.get("/v1/openapi.yaml") { _, _ in try openAPI() }
        router.get("/healthz") { _, _ in try APIResponse.json(["status": "ok"]) }
        MethodNotAllowed.register(Self.methods + SessionRoutes.methods, on: router)
    }

    private func submit(_ request: Request, _ context: BrigRequestContext) async throws -> Response {
        let peer = try context.requirePeer()
        let job = try await bodyReader.decode(JobRequest.self, from: request, schema: .jobRequest)
        if !job.isAgent && job.language == nil {
            throw APIError("invalid_request", "language is required (or \"kind\": \"agent\" with steps)", field: "language")
        }
        guard job.wait == true else {
            return try APIResponse.json(try await service.submit(job, peer: peer), status: .accepted)
        }
        return try APIResponse.json(try await service.run(job, peer: peer))
    }

    private func list(_ request: Request, _ context: BrigRequestContext) async throws -> Response {
        let query = try JobQuery(parameters: request.uri.queryParameters)
        return try APIResponse.json(try await service.list(query, peer: try context.requirePeer()))
    }

    /// One server-sent event per `JobEvent`, each written (and so flushed) as it comes; the stream ends after
    /// "end" or when the service finishes it.
    private func events(_ context: BrigRequestContext) async throws -> Response {
        let stream = try await service.events(try jobID(context), peer: try context.requirePeer())
        let body = ResponseBody { writer in
            for await event in stream {
                try await writer.write(ByteBuffer(string: event.serverSentEvent))
                if event.kind == "end" { break }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    private func openAPI() throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/yaml"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
    }

    private func jobID(_ context: BrigRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw APIError("invalid_request", "the job id is missing from the path", field: "id")
        }
        return id
    }
}
