#if canImport(Glibc)
import Glibc
#endif

extension Language {
    static let keys = ["display_name", "extensions", "source_file", "version", "compile", "run", "environment", "hello"]
    static let helloKeys = ["source", "stdout"]
    /// Where a job's files are; a program there exists only once the compile step has written it.
    static let workspacePath = "/work"

    /// Loads IMAGE/languages/NAME.toml; the language is named after the file and checked against `image`,
    /// whose filesystem its programs must be in.
    public init(contentsOf path: String, image: SandboxImage) throws(CatalogError) {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        guard fileName.hasSuffix(".toml") else {
            throw CatalogError(file: path, key: nil, reason: "a language file is named NAME.toml")
        }
        let text = try OperatorFile.read(path)
        try self.init(name: String(fileName.dropLast(".toml".count)), image: image, toml: text, file: path)
    }

    /// Parses and checks a language manifest; its programs must exist on this host, inside what `image` shows.
    public init(name: String, image: SandboxImage, toml: String, file: String) throws(CatalogError) {
        guard CatalogName.isValid(name) else {
            throw CatalogError(file: file, key: nil, reason: "language name \"\(name)\" does not match \(CatalogName.rule)")
        }
        let top = try TableReader(
            TableReader.parse(toml, file: file), file: file, keys: Self.keys,
            elsewhere: Self.helloKeys.map { "hello.\($0)" })

        guard let displayName = try top.string("display_name") else {
            throw top.error("display_name", "missing: the name shown to people, such as \"Python 3\"")
        }
        guard !displayName.trimmingSpaces.isEmpty else { throw top.error("display_name", "must not be empty") }

        guard let extensions = try top.stringArray("extensions") else {
            throw top.error("extensions", "missing: the file name endings of this language, such as [\".py\"]")
        }
        guard !extensions.isEmpty else { throw top.error("extensions", "must list at least one ending, such as \".py\"") }
        var seenExtensions: Set<String> = []
        for written in extensions {
            if let problem = Self.extensionProblem(written) { throw top.error("extensions", problem) }
            guard seenExtensions.insert(written).inserted else { throw top.error("extensions", "\"\(written)\" is listed twice") }
        }

        guard let sourceFile = try top.string("source_file") else {
            throw top.error("source_file", "missing: the file in /work a job's source is written to, such as \"main.py\"")
        }
        if let problem = Self.sourceFileProblem(sourceFile) { throw top.error("source_file", problem) }

        let compileCommand = try Self.command("compile", in: top, image: image, allowingWorkspace: false)
        guard let runCommand = try Self.command("run", in: top, image: image, allowingWorkspace: compileCommand != nil) else {
            throw top.error("run", "missing: the command that runs a job, such as [\"/usr/bin/python3\", \"main.py\"]")
        }
        guard let versionCommand = try Self.command("version", in: top, image: image, allowingWorkspace: false) else {
            throw top.error("version", "missing: a command that prints the version, such as [\"/usr/bin/python3\", \"--version\"]")
        }

        var environment: [String: String] = [:]
        if let table = try top.table("environment", keys: nil) {
            for variable in table.keys {
                guard SandboxImage.isVariableName(variable) else {
                    throw table.error(variable, "\"\(variable)\" is not a variable name: use letters, digits and _, not starting with a digit")
                }
                environment[variable] = try table.string(variable)
            }
        }

        guard let helloTable = try top.table("hello", keys: Self.helloKeys) else {
            throw top.error("hello", "missing: the self-test, a [hello] table with source and stdout")
        }
        guard let helloSource = try helloTable.string("source") else {
            throw helloTable.error("source", "missing: a program printing a greeting")
        }
        guard !helloSource.trimmingSpaces.isEmpty else { throw helloTable.error("source", "must not be empty") }
        guard let helloStdout = try helloTable.string("stdout") else {
            throw helloTable.error("stdout", "missing: exactly what the program prints, such as \"hello, world\\n\"")
        }

        self.init(
            name: name, image: image.name, displayName: displayName, extensions: extensions, sourceFile: sourceFile,
            versionCommand: versionCommand, compileCommand: compileCommand, runCommand: runCommand,
            environment: environment, hello: LanguageSelfTest(source: helloSource, stdout: helloStdout))
    }

    static func extensionProblem(_ written: String) -> String? {
        guard written.hasPrefix("."), written.count > 1 else {
            return "\"\(written)\" is not a file name ending: write it with its dot, such as \".py\""
        }
        guard !written.dropFirst().contains(where: { $0 == "/" || $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else {
            return "\"\(written)\" cannot end a file name: no \"/\", spaces or control characters"
        }
        return nil
    }

    /// Why `written` is not a plain file name directly in /work, or nil.
    static func sourceFileProblem(_ written: String) -> String? {
        if written.isEmpty { return "must not be empty" }
        if written.contains("/" as Character) { return "\"\(written)\" is not a plain file name: no \"/\", the file is written directly in /work" }
        if written == "." || written == ".." { return "\"\(written)\" is not a file name" }
        if written.hasPrefix("-") { return "\"\(written)\" starts with \"-\", which commands would take for an option" }
        if written.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "\"\(written)\" contains a control character"
        }
        if written.utf8.count > 255 { return "is longer than 255 bytes" }
        return nil
    }

    /// The command under `key`, or nil when the key is absent. Its program must be an absolute path that the
    /// sandbox will see: inside the image's binds and present (and executable) on this host now, or, when
    /// `allowingWorkspace`, a file in /work that the compile step writes.
    static func command(_ key: String, in table: TableReader, image: SandboxImage, allowingWorkspace: Bool) throws(CatalogError) -> [String]? {
        guard let command = try table.stringArray(key) else { return nil }
        guard let program = command.first, !program.isEmpty else {
            throw table.error(key, "must start with a program, such as [\"/usr/bin/python3\", \"main.py\"]")
        }
        guard program.hasPrefix("/") else {
            throw table.error(key, "\"\(program)\" is not an absolute path: write where the program is, such as \"/usr/bin/\(program)\"")
        }
        let components = program.split(separator: "/")
        guard !components.contains(".."), !components.contains(".") else {
            throw table.error(key, "\"\(program)\" contains \".\" or \"..\": write the path it leads to")
        }
        if program.hasPrefix(workspacePath + "/") {
            guard allowingWorkspace else {
                throw table.error(key, "\"\(program)\" is in /work, which holds only the job's files: "
                    + (key == "run" ? "a program there must be written by a compile command" : "use a program of the image"))
            }
            return command
        }
        guard Self.isShown(program, by: image) else {
            throw table.error(key, "\"\(program)\" is not inside any read_only or optional path of image \(image.name), so the sandbox cannot see it")
        }
        guard OperatorFile.exists(program) else {
            throw table.error(key, "\"\(program)\" does not exist on this host")
        }
        guard access(program, X_OK) == 0, !OperatorFile.isDirectory(program) else {
            throw table.error(key, "\"\(program)\" is not an executable program")
        }
        // A link (/usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/...) must end inside the image too.
        if let resolved = realpath(program, nil) {
            let target = String(cString: resolved)
            free(resolved)
            guard Self.isShown(target, by: image) else {
                throw table.error(key, "\"\(program)\" leads to \(target), which is not inside any read_only or optional path of image \(image.name)")
            }
        }
        return command
    }

    static func isShown(_ path: String, by image: SandboxImage) -> Bool {
        image.binds.contains { path == $0.source || path.hasPrefix($0.source + "/") }
    }
}
