import Engine

/// The body of `POST /v1/sessions`; what is nil is left out so the daemon's defaults apply.
package struct SessionCreateRequest: Encodable, Sendable {
    package var image: String?
    package var profile: String?
    package var ttl: String?
    package var idleTTL: String?
    package var files: [JobFile]?

    package init(image: String? = nil, profile: String? = nil, ttl: String? = nil, idleTTL: String? = nil, files: [JobFile]? = nil) {
        self.image = image
        self.profile = profile
        self.ttl = ttl
        self.idleTTL = idleTTL
        self.files = files
    }

    package enum CodingKeys: String, CodingKey {
        case image, profile, ttl, files, idleTTL = "idle_ttl"
    }
}
