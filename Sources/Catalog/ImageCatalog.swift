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
