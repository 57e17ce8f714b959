import Sandbox

extension SandboxImage {
    static let keys = ["description", "filesystem", "environment"]
    static let filesystemKeys = ["read_only", "optional"]

    /// Paths brig mounts or writes itself; an image may not show the host's there, inside them, or over them.
    static let reservedPaths = ["/proc", "/dev", "/tmp", "/work", "/sys", "/etc/passwd", "/etc/group", "/etc/hostname", "/etc/hosts"]

    /// Loads NAME/image.toml and the languages in NAME/languages/*.toml; the image is named after its folder.
    /// Only a broken image.toml throws: a broken language is left out and reported in `languageErrors`.
    public init(directory: String) throws(CatalogError) {
        let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        let file = "\(trimmed)/image.toml"
        try self.init(name: name, toml: OperatorFile.read(file), file: file)
        loadLanguages(from: "\(trimmed)/languages")
    }

    /// Reads every `*.toml` in `folder` (other files and hidden ones are ignored; no folder means no languages)
    /// into `languages`, and each file that cannot be used into `languageErrors`.
    mutating func loadLanguages(from folder: String) {
        var languages: [String: Language] = [:]
        var errors: [CatalogError] = []
        if OperatorFile.exists(folder) {
            do {
                for entry in try OperatorFile.entries(of: folder) where entry.hasSuffix(".toml") {
                    do {
                        let language = try Language(contentsOf: "\(folder)/\(entry)", image: self)
                        languages[language.name] = language
                    } catch {
                        errors.append(error)
                    }
                }
            } catch {
                errors.append(error)
            }
        }
        self.languages = languages
        self.languageErrors = errors
    }

    /// Parses and checks an image manifest; required paths are checked against this host.
    public init(name: String, toml: String, file: String) throws(CatalogError) {
        guard CatalogName.isValid(name) else {
            throw CatalogError(file: file, key: nil, reason: "image name \"\(name)\" does not match \(CatalogName.rule)")
        }
        let top = try TableReader(
            TableReader.parse(toml, file: file), file: file, keys: Self.keys,
            elsewhere: Self.filesystemKeys.map { "filesystem.\($0)" })
        let description = try top.string("description") ?? ""

        guard let filesystem = try top.table("filesystem", keys: Self.filesystemKeys) else {
            throw CatalogError(file: file, key: "filesystem", reason: "missing: list the host paths the sandbox sees in read_only")
        }
        guard let required = try filesystem.stringArray("read_only"), !required.isEmpty else {
            throw filesystem.error("read_only", "must list at least one host path, such as \"/usr\"")
        }
        let optional = try filesystem.stringArray("optional") ?? []

        var binds: [ReadOnlyBind] = []
        // A list, not a Set<String>: that one's first use cost ~0.1 ms of `brig run` (see `checkedPath`).
        var seen: [String] = []
        for (key, paths, isOptional) in [("read_only", required, false), ("optional", optional, true)] {
            for written in paths {
                let path: String
                switch Self.checkedPath(written) {
                case .success(let checked): path = checked
                case .failure(let problem): throw filesystem.error(key, problem.reason)
                }
                guard !seen.contains(path) else { throw filesystem.error(key, "\"\(path)\" is listed twice") }
                seen.append(path)
                if !isOptional, !OperatorFile.exists(path) {
                    throw filesystem.error(key, "\"\(path)\" does not exist on this host (list it under optional if it may be missing)")
                }
                binds.append(ReadOnlyBind(source: path, optional: isOptional))
            }
        }
        // A folder's bind must come before binds inside it, or it would hide them; sorted strings do that.
        binds.sort { $0.source < $1.source }

        var environment: [String: String] = [:]
        if let table = try top.table("environment", keys: nil) {
            for variable in table.keys {
                guard Self.isVariableName(variable) else {
                    throw table.error(variable, "\"\(variable)\" is not a variable name: use letters, digits and _, not starting with a digit")
                }
                environment[variable] = try table.string(variable)
            }
        }

        self.init(name: name, description: description, binds: binds, environment: environment)
    }

    /// The path in its plain form ("/usr/lib/" becomes "/usr/lib"), or why it cannot be shown in a sandbox.
    static func checkedPath(_ written: String) -> Result<String, ValueFormatError> {
        func refuse(_ reason: String) -> Result<String, ValueFormatError> { .failure(ValueFormatError(reason: reason)) }
        guard written.hasPrefix("/") else { return refuse("\"\(written)\" is not an absolute path") }
        guard !written.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return refuse("\"\(written)\" contains a control character")
        }
        let components = written.split(separator: "/").filter { $0 != "." }
        guard !components.contains("..") else {
            return refuse("\"\(written)\" contains \"..\": write the path it leads to")
        }
        // Appended one by one as Strings: the generic `joined(separator:)` over substrings cost `brig run`
        // ~0.1 ms the first time (its metadata is built at run time, with a scan of every protocol conformance).
        var path = ""
        for component in components { path += "/" + String(component) }
        if path.isEmpty { path = "/" }
        guard path != "/" else { return refuse("\"/\" is the whole host: list the folders the sandbox needs") }
        for reserved in reservedPaths {
            if path == reserved || path.hasPrefix(reserved + "/") {
                return refuse("\"\(path)\" is inside \(reserved), which brig mounts itself")
            }
            if reserved.hasPrefix(path + "/") {
                return refuse("\"\(path)\" would cover \(reserved), which brig mounts itself; list what is needed inside it instead")
            }
        }
        return .success(path)
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.first, !first.isASCIIDigit else { return false }
        return name.allSatisfy { $0 == "_" || $0.isASCIIDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
    }
}
