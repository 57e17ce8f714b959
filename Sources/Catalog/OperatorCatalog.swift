import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// The operator's files brig works with: `profiles/` and `sandbox-images/` in one folder, or the built-in pair.
public struct OperatorCatalog: Sendable {
    /// The folder the files came from, or "built-in".
    public let location: String
    public let profiles: ProfileCatalog
    public let images: ImageCatalog

    /// The catalog in `directory` (its `profiles/` and `sandbox-images/` sub-folders).
    public init(directory: String) {
        location = directory
        profiles = ProfileCatalog(directory: "\(directory)/profiles")
        images = ImageCatalog(directory: "\(directory)/sandbox-images")
    }

    /// brig's built-in `default` profile and `host` image.
    public static func builtIn() throws(CatalogError) -> OperatorCatalog {
        let profile = try Profile(name: "default", toml: BuiltinCatalog.defaultProfile, file: "built-in profiles/default.toml")
        let image = try SandboxImage(name: "host", toml: BuiltinCatalog.hostImage, file: "built-in sandbox-images/host/image.toml")
        return OperatorCatalog(location: "built-in", profiles: ProfileCatalog(builtIn: [profile]), images: ImageCatalog(builtIn: [image]))
    }

    private init(location: String, profiles: ProfileCatalog, images: ImageCatalog) {
        self.location = location
        self.profiles = profiles
        self.images = images
    }

    /// Where to look, first match wins: `explicit` (--catalog), $BRIG_CATALOG, /etc/brig, the checkout that
    /// `executable` was built in (so a fresh `swift build` works), and last the built-in files.
    public static func locate(
        explicit: String?, environment: (String) -> String? = ProcessEnvironment.value(of:), executable: String
    ) throws(CatalogError) -> OperatorCatalog {
        if let directory = directory(explicit: explicit, environment: environment, executable: executable) {
            return OperatorCatalog(directory: directory)
        }
        return try builtIn()
    }

    /// The folder `locate` takes its files from, found without reading any of them; nil for the built-in pair.
    public static func directory(
        explicit: String?, environment: (String) -> String? = ProcessEnvironment.value(of:), executable: String
    ) -> String? {
        if let explicit { return explicit }
        if let configured = environment("BRIG_CATALOG"), !configured.isEmpty { return configured }
        if isCatalog("/etc/brig") { return "/etc/brig" }
        return checkout(containing: executable)
    }

    public func profile(named name: String) throws(CatalogError) -> Profile {
        try profiles.profile(named: name)
    }

    public func image(named name: String) throws(CatalogError) -> SandboxImage {
        try images.image(named: name)
    }

    /// The named language of any usable image (see `ImageCatalog.language(named:)`).
    public func language(named name: String) throws(CatalogError) -> Language {
        try images.language(named: name)
    }

    /// The compiled seccomp program of `profile`'s policy (the profile's loader checked that it exists).
    public func seccompProgram(for profile: Profile) throws(SandboxError) -> SeccompProgram {
        try Self.seccompProgram(for: profile)
    }

    /// The compiled seccomp program of `profile`'s policy, for a profile loaded on its own.
    public static func seccompProgram(for profile: Profile) throws(SandboxError) -> SeccompProgram {
        guard let policy = SeccompPolicy.named(profile.seccomp) else {
            throw SandboxError(.invalidSpec, "profile \(profile.name) names an unknown seccomp policy \(profile.seccomp)")
        }
        return try policy.compile()
    }

    static func isCatalog(_ directory: String) -> Bool {
        OperatorFile.isDirectory("\(directory)/profiles") && OperatorFile.isDirectory("\(directory)/sandbox-images")
    }

    /// The nearest folder above the (symlink-resolved) executable that holds Package.swift and a catalog.
    public static func checkout(containing executable: String) -> String? {
        guard let resolved = realpath(executable, nil) else { return nil }
        var directory = String(cString: resolved)
        free(resolved)
        for _ in 0..<8 {
            guard let slash = directory.lastIndex(of: "/"), slash != directory.startIndex else { return nil }
            directory = String(directory[..<slash])
            if isCatalog(directory) && access("\(directory)/Package.swift", F_OK) == 0 { return directory }
        }
        return nil
    }
}
