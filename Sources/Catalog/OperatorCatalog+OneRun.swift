extension OperatorCatalog {
    /// The named profile and image alone, read from the catalog `directory` locates (nil: the built-in pair):
    /// no other file is read and the image's languages are not loaded, which is all a one-off run needs.
    /// When either cannot be had that way the whole catalog is loaded, so that errors name the same files and
    /// alternatives as `profile(named:)` and `image(named:)` do.
    public static func profileAndImage(
        profile: String, image: String, directory: String?
    ) throws(CatalogError) -> (Profile, SandboxImage) {
        if let directory, CatalogName.isValid(profile), CatalogName.isValid(image),
           let chosen = try? Profile(contentsOf: "\(directory)/profiles/\(profile).toml"),
           let text = try? OperatorFile.read("\(directory)/sandbox-images/\(image)/image.toml"),
           let sandboxImage = try? SandboxImage(name: image, toml: text, file: "\(directory)/sandbox-images/\(image)/image.toml") {
            return (chosen, sandboxImage)
        }
        let catalog: OperatorCatalog
        if let directory {
            catalog = OperatorCatalog(directory: directory)
        } else {
            catalog = try builtIn()
        }
        return (try catalog.profile(named: profile), try catalog.image(named: image))
    }
}
