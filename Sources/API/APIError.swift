/// A refusal the API reports as `{"error": {"code", "message", "field"}}` with an HTTP status: 4xx for anything
/// the client did wrong, 429 with Retry-After when the queue is full, 503 while draining or when a language is
/// unavailable. Never a 500 for bad input.
public struct APIError: Error, Sendable, Equatable, Codable {
    /// Stable, for machines: "unknown_language", "invalid_limits", "queue_full", "not_found", ...
    public var code: String
    /// For people: what was wrong and what would be right.
    public var message: String
    /// The request field at fault ("language", "files[2].path", "limits.memory"), when one is.
    public var field: String?
    /// The HTTP status to answer with (not encoded in the body).
    public var httpStatus: Int
    /// Seconds for Retry-After (429 and 503).
    public var retryAfter: Int?

    public init(_ code: String, _ message: String, field: String? = nil, httpStatus: Int = 400, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    private enum CodingKeys: String, CodingKey { case code, message, field }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        httpStatus = 0
        retryAfter = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(field, forKey: .field)
    }

    public static func notFound(_ what: String) -> APIError {
        APIError("not_found", "\(what) does not exist (or is not yours)", httpStatus: 404)
    }
}

/// The body of every error response: `{"error": {...}}`.
public struct APIErrorBody: Sendable, Codable {
    public var error: APIError

    public init(error: APIError) {
        self.error = error
    }
}
