import Sandbox

extension Profile {
    static let keys = ["description", "network", "seccomp", "concurrency", "limits", "maxima", "compile"]

    /// Loads profiles/NAME.toml; the profile is named after the file.
    public init(contentsOf path: String) throws(CatalogError) {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        guard fileName.hasSuffix(".toml") else {
            throw CatalogError(file: path, key: nil, reason: "a profile file is named NAME.toml")
        }
        let text = try OperatorFile.read(path)
        try self.init(name: String(fileName.dropLast(".toml".count)), toml: text, file: path)
    }

    /// Parses and checks a profile's TOML text; `file` is what errors name.
    public init(name: String, toml: String, file: String) throws(CatalogError) {
        guard CatalogName.isValid(name) else {
            throw CatalogError(file: file, key: nil, reason: "profile name \"\(name)\" does not match \(CatalogName.rule)")
        }
        let top = try TableReader(
            TableReader.parse(toml, file: file), file: file, keys: Self.keys,
            elsewhere: SandboxLimits.keys.map { "limits.\($0)" })

        let description = try top.string("description") ?? ""
        let network = try top.choice("network", of: NetworkMode.self) ?? .none
        let seccomp = try top.string("seccomp") ?? Self.defaultSeccomp
        guard SeccompPolicy.named(seccomp) != nil else {
            let known = SeccompPolicy.all.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw top.error("seccomp", "unknown seccomp policy \"\(seccomp)\"; known: \(known)")
        }
        let concurrency = try top.integer("concurrency") ?? Self.defaultConcurrency
        guard Self.concurrencyRange.contains(concurrency) else {
            throw top.error("concurrency", "must be between \(Self.concurrencyRange.lowerBound) and \(Self.concurrencyRange.upperBound), not \(concurrency)")
        }

        var limits = SandboxLimits()
        if let table = try top.table("limits", keys: SandboxLimits.keys, elsewhere: ["description", "network", "seccomp", "concurrency"]) {
            limits = try limits.reading(table)
        }
        if let problem = limits.firstProblem() {
            throw CatalogError(file: file, key: "limits.\(problem.key)", reason: problem.reason)
        }

        var maxima = limits
        if let table = try top.table("maxima", keys: SandboxLimits.keys) {
            if table.table["output_overflow"] != nil {
                throw table.error("output_overflow", "has no maximum: a job may choose truncate or kill; set the default in [limits]")
            }
            maxima = try maxima.reading(table)
        }
        if let problem = maxima.firstProblem() {
            throw CatalogError(file: file, key: "maxima.\(problem.key)", reason: problem.reason)
        }
        if let excess = limits.firstExcess(over: maxima) {
            throw CatalogError(
                file: file, key: "maxima.\(excess.key)",
                reason: "\(excess.maximum) is below the limit of \(excess.value) in [limits]")
        }

        var compileLimits = limits
        if let table = try top.table("compile", keys: SandboxLimits.keys) {
            if table.table["workspace"] != nil {
                throw table.error("workspace", "the compile step and the run share one workspace: set its size in [limits]")
            }
            compileLimits = try compileLimits.reading(table)
        }
        if let problem = compileLimits.firstProblem() {
            throw CatalogError(file: file, key: "compile.\(problem.key)", reason: problem.reason)
        }

        self.init(
            name: name, description: description, limits: limits, maxima: maxima, compileLimits: compileLimits,
            network: network, seccomp: seccomp, concurrency: concurrency)
    }
}
