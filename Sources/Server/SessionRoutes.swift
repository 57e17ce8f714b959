import API
import Engine
import Foundation
import Hummingbird
import Sandbox

/// The session routes (/v1/sessions...): each decodes and checks its input, asks the `SessionService` and
/// encodes the answer. Without a session service (a server in front of jobs only) they answer 503.
struct SessionRoutes: Sendable {
    let service: (any SessionService)?
    let bodyReader: JSONBodyReader

    static let methods: [(path: RouterPath, allowed: [HTTPRequest.Method])] = [
        ("/v1/sessions", [.get, .post]),
        ("/v1/sessions/:id", [.get, .delete]),
        ("/v1/sessions/:id/exec", [.post]),
        ("/v1/sessions/:id/steps", [.get]),
        ("/v1/sessions/:id/steps/:step", [.get, .delete]),
        ("/v1/sessions/:id/steps/:step/output", [.get]),
        ("/v1/sessions/:id/steps/:step/events", [.get]),
        ("/v1/sessions/:id/steps/:step/signal", [.post]),
        ("/v1/sessions/:id/steps/:step/stdin", [.post]),
        ("/v1/sessions/:id/files", [.get]),
        ("/v1/sessions/:id/files/**", [.get, .put, .delete]),
        ("/v1/sessions/:id/archive", [.get, .put]),
    ]

    func register(on router: some RouterMethods<BrigRequestContext>) {
        router.post("/v1/sessions") { request, context in
            let body = try await bodyReader.decode(SessionRequest.self, from: request, schema: .sessionRequest)
            return try APIResponse.json(try await sessions().createSession(body, peer: try context.requirePeer()), status: .created)
        }
        router.get("/v1/sessions") { request, context in
            let query = try Self.query(request.uri.queryParameters)
            return try APIResponse.json(try await sessions().sessions(query, peer: try context.requirePeer()))
        }
        router.get("/v1/sessions/:id") { _, context in
            try APIResponse.json(try await sessions().session(try id(context), peer: try context.requirePeer()))
        }
        router.delete("/v1/sessions/:id") { _, context in
            try APIResponse.json(try await sessions().endSession(try id(context), peer: try context.requirePeer()))
        }
        router.post("/v1/sessions/:id/exec") { request, context in
            let body = try await bodyReader.decode(ExecRequest.self, from: request, schema: .execRequest)
            let step = try await sessions().exec(body, session: try id(context), peer: try context.requirePeer())
            return try APIResponse.json(step, status: body.waits ? .ok : .accepted)
        }
        router.get("/v1/sessions/:id/steps") { _, context in
            try APIResponse.json(try await sessions().steps(session: try id(context), peer: try context.requirePeer()))
        }
        router.get("/v1/sessions/:id/steps/:step") { _, context in
            try APIResponse.json(try await sessions().step(try stepID(context), session: try id(context), peer: try context.requirePeer()))
        }
        router.delete("/v1/sessions/:id/steps/:step") { _, context in
            try APIResponse.json(try await sessions().cancel(step: try stepID(context), session: try id(context), peer: try context.requirePeer()))
        }
        router.get("/v1/sessions/:id/steps/:step/output") { _, context in
            try APIResponse.json(try await sessions().output(step: try stepID(context), session: try id(context), peer: try context.requirePeer()))
        }
        router.get("/v1/sessions/:id/steps/:step/events") { _, context in
            let stream = try await sessions().events(step: try stepID(context), session: try id(context), peer: try context.requirePeer())
            let body = ResponseBody { writer in
                for await event in stream {
                    try await writer.write(ByteBuffer(string: event.serverSentEvent))
                    if event.kind == "end" { break }
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
        router.post("/v1/sessions/:id/steps/:step/signal") { request, context in
            let body = try await bodyReader.decode(SignalBody.self, from: request, schema: .signalRequest)
            let number = try Self.signalNumber(body.signal)
            return try APIResponse.json(
                try await sessions().signal(number, step: try stepID(context), session: try id(context), peer: try context.requirePeer()))
        }
        router.post("/v1/sessions/:id/steps/:step/stdin") { request, context in
            let body = try await bodyReader.decode(StepInput.self, from: request, schema: .stepInput)
            return try APIResponse.json(
                try await sessions().input(body, step: try stepID(context), session: try id(context), peer: try context.requirePeer()))
        }
        router.get("/v1/sessions/:id/files") { request, context in
            let recursive = try Self.flag("recursive", request.uri.queryParameters, allowed: ["recursive"])
            return try APIResponse.json(
                try await sessions().listFiles("", recursive: recursive, session: try id(context), peer: try context.requirePeer()))
        }
        router.get("/v1/sessions/:id/files/**") { request, context in
            _ = try Self.flag("recursive", request.uri.queryParameters, allowed: [])
            let path = try Self.filePath(request, context)
            switch try await sessions().readFile(path, session: try id(context), peer: try context.requirePeer()) {
            case .file(let bytes):
                return Response(
                    status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: "\(bytes.count)"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            case .directory(let listing):
                return try APIResponse.json(listing)
            }
        }
        router.put("/v1/sessions/:id/files/**") { request, context in
            let mode = try Self.mode(request.uri.queryParameters)
            let path = try Self.filePath(request, context)
            let bytes = try await collect(request)
            return try APIResponse.json(
                try await sessions().writeFile(path, bytes: bytes, mode: mode, session: try id(context), peer: try context.requirePeer()),
                status: .created)
        }
        router.delete("/v1/sessions/:id/files/**") { request, context in
            let recursive = try Self.flag("recursive", request.uri.queryParameters, allowed: ["recursive"])
            let path = try Self.filePath(request, context)
            try await sessions().deleteFile(path, recursive: recursive, session: try id(context), peer: try context.requirePeer())
            return Response(status: .noContent)
        }
        router.get("/v1/sessions/:id/archive") { _, context in
            let bytes = try await sessions().archive(session: try id(context), peer: try context.requirePeer())
            return Response(
                status: .ok, headers: [.contentType: "application/x-tar", .contentLength: "\(bytes.count)"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.put("/v1/sessions/:id/archive") { request, context in
            let bytes = try await collect(request)
            return try APIResponse.json(
                try await sessions().extractArchive(bytes, session: try id(context), peer: try context.requirePeer()))
        }
    }

    private func sessions() throws(APIError) -> any SessionService {
        guard let service else {
            throw APIError("unavailable", "this server does not serve sessions", httpStatus: 503)
        }
        return service
    }

    /// A raw body up to the server's cap; beyond it `too_large` (413).
    private func collect(_ request: Request) async throws -> [UInt8] {
        do {
            var buffer = try await bodyReader.collect(request)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as APIError where error.httpStatus == 413 {
            throw APIError("too_large", error.message, field: "body", httpStatus: 413)
        }
    }

    private func id(_ context: BrigRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw APIError("invalid_request", "the session id is missing from the path", field: "id")
        }
        return id
    }

    private func stepID(_ context: BrigRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("step"), !id.isEmpty else {
            throw APIError("invalid_request", "the step id is missing from the path", field: "step")
        }
        return id
    }

    /// The workspace path: the raw request path after ".../files/", percent-decoded, so that "%2F" or ".."
    /// arrive as given and are refused by the engine rather than normalised away here.
    static func filePath(_ request: Request, _ context: BrigRequestContext) throws(APIError) -> String {
        let raw = request.uri.path
        guard let marker = raw.range(of: "/files/") else {
            throw APIError("invalid_path", "the path is missing", field: "path")
        }
        let encoded = String(raw[marker.upperBound...])
        guard let decoded = encoded.removingPercentEncoding else {
            throw APIError("invalid_path", "the path is not valid percent-encoded UTF-8", field: "path")
        }
        return decoded
    }

    static func query(_ parameters: Parameters) throws(APIError) -> SessionQuery {
        var query = SessionQuery()
        for (name, _) in parameters where !["state", "limit", "after"].contains(name) {
            throw APIError("invalid_request", "unknown query parameter \"\(name)\"; expected state, limit or after", field: String(name))
        }
        if let text = parameters["state"], !text.isEmpty {
            guard let state = SessionState(rawValue: String(text)) else {
                throw APIError("invalid_request", "unknown state \"\(text)\"; expected active, ended or expired", field: "state")
            }
            query.state = state
        }
        if let text = parameters["limit"], !text.isEmpty {
            guard let limit = Int(text), (1...500).contains(limit) else {
                throw APIError("invalid_request", "limit must be an integer from 1 to 500, not \"\(text)\"", field: "limit")
            }
            query.limit = limit
        }
        if let text = parameters["after"], !text.isEmpty { query.after = String(text) }
        return query
    }

    static func flag(_ name: String, _ parameters: Parameters, allowed: Set<String>) throws(APIError) -> Bool {
        for (key, _) in parameters where !allowed.contains(String(key)) && key != "mode" {
            throw APIError("invalid_request", "unknown query parameter \"\(key)\"", field: String(key))
        }
        guard let text = parameters[Substring(name)], !text.isEmpty else { return false }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError("invalid_request", "\(name) must be true or false, not \"\(text)\"", field: name)
        }
    }

    static func mode(_ parameters: Parameters) throws(APIError) -> UInt32? {
        for (key, _) in parameters where key != "mode" {
            throw APIError("invalid_request", "unknown query parameter \"\(key)\"; expected mode", field: String(key))
        }
        guard let text = parameters["mode"], !text.isEmpty else { return nil }
        guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
            throw APIError("invalid_request", "mode must be octal permission bits such as 0644, not \"\(text)\"", field: "mode")
        }
        return mode
    }

    /// "TERM", "SIGTERM" or a number.
    static func signalNumber(_ value: SignalBody.Value) throws(APIError) -> Int32 {
        switch value {
        case .number(let number):
            guard (1...64).contains(number) else { throw APIError("invalid_signal", "\(number) is not a signal number", field: "signal") }
            return Int32(number)
        case .name(let text):
            let name = text.uppercased().hasPrefix("SIG") ? text.uppercased() : "SIG" + text.uppercased()
            for number in Int32(1)...31 where SignalName.of(number) == name { return number }
            throw APIError("invalid_signal", "unknown signal \(text.debugDescription); e.g. TERM, INT, KILL, HUP, USR1", field: "signal")
        }
    }
}

/// `POST .../signal`: `{"signal": "TERM"}` or `{"signal": 15}`.
struct SignalBody: Decodable, Sendable {
    enum Value: Sendable {
        case name(String)
        case number(Int)
    }

    var signal: Value

    enum CodingKeys: String, CodingKey { case signal }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decode(Int.self, forKey: .signal) {
            signal = .number(number)
        } else {
            signal = .name(try container.decode(String.self, forKey: .signal))
        }
    }
}
