/// Names of profiles and images: they appear in URLs, file names and logs, so they stay plain.
enum CatalogName {
    static let rule = "[a-z0-9][a-z0-9_-]* (at most 64 characters)"

    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, name.count <= 64, first.isLowercaseASCIIAlphanumeric else { return false }
        return name.allSatisfy { $0.isLowercaseASCIIAlphanumeric || $0 == "_" || $0 == "-" }
    }
}
