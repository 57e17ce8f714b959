/// `GET /v1/languages`: one entry per language of every image.
public struct LanguageView: Sendable, Codable, Equatable {
    public var name: String
    public var image: String
    /// What the version probe printed ("Python 3.11.2"), or nil when it failed.
    public var version: String?
    public var extensions: [String]
    public var compiled: Bool

    public init(name: String, image: String, version: String?, extensions: [String], compiled: Bool) {
        self.name = name
        self.image = image
        self.version = version
        self.extensions = extensions
        self.compiled = compiled
    }
}

/// `GET /v1/profiles`: limits as text ("256MiB", "10s").
public struct ProfileView: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    public var limits: [String: String]
    public var maxima: [String: String]
    public var concurrency: Int

    public init(name: String, description: String, limits: [String: String], maxima: [String: String], concurrency: Int) {
        self.name = name
        self.description = description
        self.limits = limits
        self.maxima = maxima
        self.concurrency = concurrency
    }
}

/// `POST /v1/admin/reload`: what is live now and which files were refused (the previous version stays live).
public struct ReloadReport: Sendable, Codable, Equatable {
    public var profiles: [String]
    public var languages: [String]
    public var errors: [String]

    public init(profiles: [String], languages: [String], errors: [String]) {
        self.profiles = profiles
        self.languages = languages
        self.errors = errors
    }
}
