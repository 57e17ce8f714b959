/// `POST /v1/sessions`: a workspace that lives across steps. Everything is optional.
public struct SessionRequest: Sendable, Codable, Equatable {
    /// A sandbox image name; "host" when absent.
    public var image: String?
    /// A profile name; "default" when absent. Its limits are each step's defaults and maxima; its workspace
    /// size is the session's workspace cap.
    public var profile: String?
    /// Maximum lifetime ("1h" when absent).
    public var ttl: String?
    /// Idle time after which the session expires ("10m" when absent).
    public var idleTTL: String?
    /// Files put into /work before the first step.
    public var files: [JobFile]?
    /// Per-step defaults, each within the profile's maxima.
    public var limits: RequestedLimits?

    public init(
        image: String? = nil, profile: String? = nil, ttl: String? = nil, idleTTL: String? = nil, files: [JobFile]? = nil,
        limits: RequestedLimits? = nil
    ) {
        self.image = image
        self.profile = profile
        self.ttl = ttl
        self.idleTTL = idleTTL
        self.files = files
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case image, profile, ttl, files, limits
        case idleTTL = "idle_ttl"
    }
}
