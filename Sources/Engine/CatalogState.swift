import API
import Catalog

/// The profiles and images live right now. A reload replaces what loads cleanly and keeps the previous
/// version of anything whose file is now broken.
struct CatalogState: Sendable {
    var profiles: [String: Profile]
    var images: [String: SandboxImage]
    /// Files refused at the last load or reload.
    var errors: [CatalogError]

    init(_ catalog: OperatorCatalog) {
        profiles = catalog.profiles.profiles
        images = catalog.images.images
        errors = catalog.profiles.errors + catalog.images.errors + catalog.images.images.values.flatMap(\.languageErrors)
    }

    /// `catalog` where it loaded, `self` where it did not.
    func merged(with catalog: OperatorCatalog) -> CatalogState {
        var next = CatalogState(catalog)
        for (name, profile) in profiles where next.profiles[name] == nil && next.errors.contains(where: { Self.names($0.file, name, suffix: ".toml") }) {
            next.profiles[name] = profile
        }
        for (name, image) in images {
            guard let reloaded = next.images[name] else {
                if next.errors.contains(where: { $0.file.contains("/\(name)/") }) { next.images[name] = image }
                continue
            }
            var kept = reloaded
            for (language, manifest) in image.languages where kept.languages[language] == nil
                && reloaded.languageErrors.contains(where: { Self.names($0.file, language, suffix: ".toml") }) {
                kept.languages[language] = manifest
            }
            next.images[name] = kept
        }
        return next
    }

    /// The image that provides `language` (images in name order, so the choice is stable).
    func language(named name: String) -> (SandboxImage, Language)? {
        for imageName in images.keys.sorted() {
            if let image = images[imageName], let language = image.languages[name] { return (image, language) }
        }
        return nil
    }

    var languageNames: [String] {
        Array(Set(images.values.flatMap { $0.languages.keys })).sorted()
    }

    private static func names(_ file: String, _ name: String, suffix: String) -> Bool {
        file.hasSuffix("/\(name)\(suffix)")
    }
}
