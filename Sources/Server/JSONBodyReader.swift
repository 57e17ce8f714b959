import API
import Engine
import Foundation
import Hummingbird

/// Reads a request body up to a size cap and decodes it, turning every way it can be wrong into an `APIError`
/// that names the field: `body_too_large` (413), `invalid_json`, `unknown_field` and `invalid_request` (400).
/// The body is checked against a `BodySchema` first, then decoded; the decoder's errors name the JSON path too.
struct JSONBodyReader: Sendable {
    let maxBytes: Int

    func decode<Value: Decodable>(_ type: Value.Type, from request: Request, schema: BodySchema) async throws -> Value {
        let body = try await collect(request)
        return try decode(type, from: Data(buffer: body), schema: schema)
    }

    func collect(_ request: Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBytes {
            throw tooLarge()
        }
        var collected = ByteBuffer()
        for try await var chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= maxBytes else {
                throw tooLarge()
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    func decode<Value: Decodable>(_ type: Value.Type, from data: Data, schema: BodySchema) throws -> Value {
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw APIError("invalid_json", "the request body is empty; expected a JSON object")
        }
        let decoder = APIJSON.decoder()
        let shape: JSONValue
        do {
            shape = try decoder.decode(JSONValue.self, from: data)
        } catch {
            throw APIError("invalid_json", "the request body is not valid JSON: \(Self.reason(error))")
        }
        guard case .object = shape else {
            throw APIError("invalid_request", "the request body must be a JSON object, not \(shape.kind)")
        }
        if let violation = schema.firstViolation(in: shape) {
            throw violation
        }
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.apiError(for: error)
        }
    }

    private func tooLarge() -> APIError {
        APIError(
            "body_too_large", "the request body is larger than the server's limit of \(maxBytes) bytes",
            httpStatus: 413)
    }

    /// A `DecodingError` as the client should read it: the JSON path of the field and what was expected there.
    static func apiError(for error: DecodingError) -> APIError {
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return APIError(
                "invalid_request", "\(field ?? "the body") must be \(describe(type))", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return APIError(
                "invalid_request", "\(field ?? "the body") must be \(describe(type)), not null", field: field)
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return APIError("invalid_request", "\(field ?? key.stringValue) is required", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return APIError(
                "invalid_request", "\(field ?? "the body"): \(context.debugDescription)", field: field)
        @unknown default:
            return APIError("invalid_request", "the request body does not match the schema: \(error)")
        }
    }

    /// "files[2].path" from the decoder's coding path; nil for the top level.
    static func path(_ codingPath: [any CodingKey]) -> String? {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? nil : text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt32.Type, is UInt64.Type, is UInt.Type: "an integer"
        case is [Any].Type: "an array"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = context.underlyingError.map { " (\(String(describing: $0)))" } ?? ""
            return context.debugDescription + underlying
        }
        return String(describing: error)
    }
}
