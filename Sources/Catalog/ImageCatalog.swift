/// Every sandbox image in a folder: the good ones by name, and an error for each bad one.
public struct ImageCatalog: Sendable {
    public let directory: String
    public let images: [String: SandboxImage]
    /// One error per image folder that could not be used (or one for the folder itself), sorted by folder.
    public let errors: [CatalogError]
    private let brokenNames: [String: CatalogError]

    /// Loads every sub-folder of `directory` as an image; plain files and hidden entries are ignored.
    /// Never throws: problems are in `errors`.
    public init(directory: String) {
        self.directory = directory
        var images: [String: SandboxImage] = [:]
        var errors: [CatalogError] = []
        var brokenNames: [String: CatalogError] = [:]
        do {
            for entry in try OperatorFile.entries(of: directory) where OperatorFile.isDirectory("\(directory)/\(entry)") {
                do {
                    let image = try SandboxImage(directory: "\(directory)/\(entry)")
                    images[image.name] = image
                } catch {
                    errors.append(error)
                    brokenNames[entry] = error
                }
            }
        } catch {
            errors.append(error)
        }
        self.images = images
        self.errors = errors
        self.brokenNames = brokenNames
    }

    /// A catalog of images that exist only in memory (brig's built-in ones).
    public init(builtIn images: [SandboxImage]) {
        self.directory = "built-in"
        self.images = Dictionary(images.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.errors = []
        self.brokenNames = [:]
    }

    /// The usable images' names, sorted.
    public var names: [String] { images.keys.sorted() }

    /// Every usable language of every usable image, by name. When two images provide the same name, the image
    /// first by name provides it (and `languageErrors` says so).
    public var languages: [String: Language] {
        var languages: [String: Language] = [:]
        for name in names {
            for (languageName, language) in images[name]?.languages ?? [:] where languages[languageName] == nil {
                languages[languageName] = language
            }
        }
        return languages
    }

    /// The broken language files of the usable images, and languages hidden by another image's of the same name.
    public var languageErrors: [CatalogError] {
        var errors: [CatalogError] = []
        var provider: [String: String] = [:]
        for name in names {
            guard let image = images[name] else { continue }
            errors += image.languageErrors
            for languageName in image.languages.keys.sorted() {
                if let first = provider[languageName] {
                    errors.append(CatalogError(
                        file: "\(directory)/\(name)/languages/\(languageName).toml", key: nil,
                        reason: "language \(languageName) is already provided by image \(first), which is used"))
                } else {
                    provider[languageName] = name
                }
            }
        }
        return errors
    }

    /// The named language, or an error: why its file is broken, or that no image provides it, with the names
    /// that exist.
    public func language(named name: String) throws(CatalogError) -> Language {
        let languages = self.languages
        if let language = languages[name] { return language }
        let available = languages.isEmpty ? "no language is usable" : "available: " + languages.keys.sorted().joined(separator: ", ")
        if let broken = languageErrors.first(where: { $0.file.hasSuffix("/languages/\(name).toml") }) {
            throw CatalogError(file: broken.file, key: broken.key, reason: "\(broken.reason) (\(available))")
        }
        throw CatalogError(file: "\(directory)/*/languages/\(name).toml", key: nil, reason: "no such language (\(available))")
    }

    /// The named image, or an error naming its manifest: why it is broken, or that it does not exist, with the
    /// names that do.
    public func image(named name: String) throws(CatalogError) -> SandboxImage {
        if let image = images[name] { return image }
        let available = names.isEmpty ? "no image is usable" : "available: " + names.joined(separator: ", ")
        if let broken = brokenNames[name] {
            throw CatalogError(file: broken.file, key: broken.key, reason: "\(broken.reason) (\(available))")
        }
        throw CatalogError(file: "\(directory)/\(name)/image.toml", key: nil, reason: "no such image (\(available))")
    }
}
