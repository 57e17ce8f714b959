/// Every profile in a folder: the good ones by name, and an error for each bad file, so a daemon can serve the
/// good ones and report the rest.
public struct ProfileCatalog: Sendable {
    public let directory: String
    public let profiles: [String: Profile]
    /// One error per file that could not be used (or one for the folder itself), sorted by file.
    public let errors: [CatalogError]
    /// Broken files by the profile name they would have had.
    private let brokenNames: [String: CatalogError]

    /// Loads every `*.toml` in `directory`; other files and hidden ones are ignored. Never throws: problems are
    /// in `errors`.
    public init(directory: String) {
        self.directory = directory
        var profiles: [String: Profile] = [:]
        var errors: [CatalogError] = []
        var brokenNames: [String: CatalogError] = [:]
        do {
            for entry in try OperatorFile.entries(of: directory) where entry.hasSuffix(".toml") {
                let path = "\(directory)/\(entry)"
                do {
                    let profile = try Profile(contentsOf: path)
                    profiles[profile.name] = profile
                } catch {
                    errors.append(error)
                    brokenNames[String(entry.dropLast(".toml".count))] = error
                }
            }
        } catch {
            errors.append(error)
        }
        self.profiles = profiles
        self.errors = errors
        self.brokenNames = brokenNames
    }

    /// A catalog of profiles that exist only in memory (brig's built-in ones).
    public init(builtIn profiles: [Profile]) {
        self.directory = "built-in"
        self.profiles = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.errors = []
        self.brokenNames = [:]
    }

    /// The usable profiles' names, sorted.
    public var names: [String] { profiles.keys.sorted() }

    /// The named profile, or an error naming its file: why it is broken, or that it does not exist, with the
    /// names that do.
    public func profile(named name: String) throws(CatalogError) -> Profile {
        if let profile = profiles[name] { return profile }
        let available = names.isEmpty ? "no profile is usable" : "available: " + names.joined(separator: ", ")
        if let broken = brokenNames[name] {
            throw CatalogError(file: broken.file, key: broken.key, reason: "\(broken.reason) (\(available))")
        }
        throw CatalogError(file: "\(directory)/\(name).toml", key: nil, reason: "no such profile (\(available))")
    }
}
