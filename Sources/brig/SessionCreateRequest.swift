import Engine

/// The body of `POST /v1/sessions`; what is nil is left out so the daemon's defaults apply.
struct SessionCreateRequest: Encodable, Sendable {
    var image: String?
    var profile: String?
    var ttl: String?
    var idleTTL: String?
    var files: [JobFile]?

    enum CodingKeys: String, CodingKey {
        case image, profile, ttl, files, idleTTL = "idle_ttl"
    }
}
