import Foundation
import Sandbox
import Testing
@testable import Catalog

/// A language manifest with one mistake, and what the error must say about it.
struct BadLanguage: Sendable, CustomTestStringConvertible {
    let label: String
    var fileName = "lang"
    let toml: String
    let key: String?
    /// The whole reason, or its start when `prefixOnly`.
    let reason: String
    var prefixOnly = false

    var testDescription: String { label }

    /// A good manifest with `replacing` lines swapped for `with` (nil drops the line) and `extra` appended.
    static func manifest(replacing key: String? = nil, with line: String? = nil, extra: String = "") -> String {
        var lines = LanguageFileTests.goodLines
        if let key, let index = lines.firstIndex(where: { $0.hasPrefix(key + " =") }) {
            if let line { lines[index] = line } else { lines.remove(at: index) }
        }
        return lines.joined(separator: "\n") + "\n" + extra
    }

    init(_ label: String, replacing key: String? = nil, with line: String? = nil, extra: String = "", fileName: String = "lang",
         errorKey: String?, reason: String, prefixOnly: Bool = false) {
        self.label = label
        self.fileName = fileName
        self.toml = Self.manifest(replacing: key, with: line, extra: extra)
        self.key = errorKey
        self.reason = reason
        self.prefixOnly = prefixOnly
    }

    init(_ label: String, toml: String, errorKey: String?, reason: String, prefixOnly: Bool = false) {
        self.label = label
        self.toml = toml
        self.key = errorKey
        self.reason = reason
        self.prefixOnly = prefixOnly
    }
}

@Suite struct LanguageFileTests {
    /// A manifest that loads against `image`; the [hello] table stays last so lines can be dropped above it.
    static let goodLines = [
        "display_name = \"Python 3\"",
        "extensions = [\".py\"]",
        "source_file = \"main.py\"",
        "version = [\"/usr/bin/python3\", \"--version\"]",
        "run = [\"/usr/bin/python3\", \"main.py\"]",
        "[hello]",
        "source = 'print(\"hello, world\")'",
        "stdout = \"hello, world\\n\"",
    ]

    /// Shows only /usr: enough for the good manifest, and /bin/sh is outside it.
    static let image = SandboxImage(name: "test", binds: [ReadOnlyBind(source: "/usr")], environment: ["HOME": "/work"])

    static let badLanguages: [BadLanguage] = [
        BadLanguage("syntax error", toml: "display_name = \n", errorKey: nil, reason: "TOML syntax error at line 1, column ", prefixOnly: true),
        BadLanguage("capital letters in the name", fileName: "Python", errorKey: nil,
                    reason: "language name \"Python\" does not match [a-z0-9][a-z0-9_-]* (at most 64 characters)"),
        BadLanguage("plus in the name", fileName: "c++", errorKey: nil,
                    reason: "language name \"c++\" does not match [a-z0-9][a-z0-9_-]* (at most 64 characters)"),
        BadLanguage("misspelt key", toml: BadLanguage.manifest(replacing: "source", with: "sourcee = 'x'"), errorKey: "hello.sourcee",
                    reason: "unknown key; did you mean \"source\"?"),
        BadLanguage("hello key at the top", toml: "stdout = \"x\"\n", errorKey: "stdout", reason: "unknown key; did you mean \"hello.stdout\"?"),
        BadLanguage("misspelt compile", toml: "compiler = [\"/usr/bin/gcc\"]\n" + BadLanguage.manifest(), errorKey: "compiler",
                    reason: "unknown key; did you mean \"compile\"?"),
        BadLanguage("no display name", replacing: "display_name", errorKey: "display_name",
                    reason: "missing: the name shown to people, such as \"Python 3\""),
        BadLanguage("empty display name", replacing: "display_name", with: "display_name = \" \"", errorKey: "display_name",
                    reason: "must not be empty"),
        BadLanguage("display name not a string", replacing: "display_name", with: "display_name = 3", errorKey: "display_name",
                    reason: "expected a string, got an integer"),
        BadLanguage("no extensions", replacing: "extensions", errorKey: "extensions",
                    reason: "missing: the file name endings of this language, such as [\".py\"]"),
        BadLanguage("empty extensions", replacing: "extensions", with: "extensions = []", errorKey: "extensions",
                    reason: "must list at least one ending, such as \".py\""),
        BadLanguage("extension without a dot", replacing: "extensions", with: "extensions = [\"py\"]", errorKey: "extensions",
                    reason: "\"py\" is not a file name ending: write it with its dot, such as \".py\""),
        BadLanguage("extension only a dot", replacing: "extensions", with: "extensions = [\".\"]", errorKey: "extensions",
                    reason: "\".\" is not a file name ending: write it with its dot, such as \".py\""),
        BadLanguage("extension with a slash", replacing: "extensions", with: "extensions = [\".py/x\"]", errorKey: "extensions",
                    reason: "\".py/x\" cannot end a file name: no \"/\", spaces or control characters"),
        BadLanguage("extension twice", replacing: "extensions", with: "extensions = [\".py\", \".py\"]", errorKey: "extensions",
                    reason: "\".py\" is listed twice"),
        BadLanguage("no source file", replacing: "source_file", errorKey: "source_file",
                    reason: "missing: the file in /work a job's source is written to, such as \"main.py\""),
        BadLanguage("source file in a folder", replacing: "source_file", with: "source_file = \"src/main.py\"", errorKey: "source_file",
                    reason: "\"src/main.py\" is not a plain file name: no \"/\", the file is written directly in /work"),
        BadLanguage("source file absolute", replacing: "source_file", with: "source_file = \"/work/main.py\"", errorKey: "source_file",
                    reason: "\"/work/main.py\" is not a plain file name: no \"/\", the file is written directly in /work"),
        BadLanguage("source file dot dot", replacing: "source_file", with: "source_file = \"..\"", errorKey: "source_file",
                    reason: "\"..\" is not a file name"),
        BadLanguage("source file like an option", replacing: "source_file", with: "source_file = \"-main.py\"", errorKey: "source_file",
                    reason: "\"-main.py\" starts with \"-\", which commands would take for an option"),
        BadLanguage("source file empty", replacing: "source_file", with: "source_file = \"\"", errorKey: "source_file",
                    reason: "must not be empty"),
        BadLanguage("no run", replacing: "run", errorKey: "run",
                    reason: "missing: the command that runs a job, such as [\"/usr/bin/python3\", \"main.py\"]"),
        BadLanguage("empty run", replacing: "run", with: "run = []", errorKey: "run",
                    reason: "must start with a program, such as [\"/usr/bin/python3\", \"main.py\"]"),
        BadLanguage("run not an array", replacing: "run", with: "run = \"/usr/bin/python3 main.py\"", errorKey: "run",
                    reason: "expected an array of strings, got a string"),
        BadLanguage("run with a number", replacing: "run", with: "run = [\"/usr/bin/python3\", 3]", errorKey: "run",
                    reason: "item 2 is an integer, expected a string"),
        BadLanguage("run by a bare name", replacing: "run", with: "run = [\"python3\", \"main.py\"]", errorKey: "run",
                    reason: "\"python3\" is not an absolute path: write where the program is, such as \"/usr/bin/python3\""),
        BadLanguage("run through dot dot", replacing: "run", with: "run = [\"/usr/../usr/bin/python3\"]", errorKey: "run",
                    reason: "\"/usr/../usr/bin/python3\" contains \".\" or \"..\": write the path it leads to"),
        BadLanguage("run a missing program", replacing: "run", with: "run = [\"/usr/bin/no-such-brig-program\"]", errorKey: "run",
                    reason: "\"/usr/bin/no-such-brig-program\" does not exist on this host"),
        BadLanguage("run a program the image does not show", replacing: "run", with: "run = [\"/bin/sh\", \"main.py\"]", errorKey: "run",
                    reason: "\"/bin/sh\" is not inside any read_only or optional path of image test, so the sandbox cannot see it"),
        BadLanguage("run a folder", replacing: "run", with: "run = [\"/usr/bin\"]", errorKey: "run",
                    reason: "\"/usr/bin\" is not an executable program"),
        BadLanguage("run a file that is not executable", replacing: "run", with: "run = [\"/usr/lib/os-release\"]", errorKey: "run",
                    reason: "\"/usr/lib/os-release\" is not an executable program"),
        BadLanguage("run from /work without a compile", replacing: "run", with: "run = [\"/work/main\"]", errorKey: "run",
                    reason: "\"/work/main\" is in /work, which holds only the job's files: a program there must be written by a compile command"),
        BadLanguage("compile from /work", toml: "compile = [\"/work/build.sh\"]\n" + BadLanguage.manifest(), errorKey: "compile",
                    reason: "\"/work/build.sh\" is in /work, which holds only the job's files: use a program of the image"),
        BadLanguage("compile a missing program", toml: "compile = [\"/usr/bin/no-such-brig-compiler\", \"main.c\"]\n" + BadLanguage.manifest(),
                    errorKey: "compile", reason: "\"/usr/bin/no-such-brig-compiler\" does not exist on this host"),
        BadLanguage("no version", replacing: "version", errorKey: "version",
                    reason: "missing: a command that prints the version, such as [\"/usr/bin/python3\", \"--version\"]"),
        BadLanguage("version by a bare name", replacing: "version", with: "version = [\"python3\"]", errorKey: "version",
                    reason: "\"python3\" is not an absolute path: write where the program is, such as \"/usr/bin/python3\""),
        BadLanguage("version from /work", replacing: "version", with: "version = [\"/work/main\"]", errorKey: "version",
                    reason: "\"/work/main\" is in /work, which holds only the job's files: use a program of the image"),
        BadLanguage("bad variable name", toml: "environment = { 1GO = \"x\" }\n" + BadLanguage.manifest(), errorKey: "environment.1GO",
                    reason: "\"1GO\" is not a variable name: use letters, digits and _, not starting with a digit"),
        BadLanguage("variable not a string", toml: "environment = { GOCACHE = 1 }\n" + BadLanguage.manifest(), errorKey: "environment.GOCACHE",
                    reason: "expected a string, got an integer"),
        BadLanguage("no hello", toml: goodLines.prefix(5).joined(separator: "\n"), errorKey: "hello",
                    reason: "missing: the self-test, a [hello] table with source and stdout"),
        BadLanguage("hello not a table", toml: goodLines.prefix(5).joined(separator: "\n") + "\nhello = \"print(1)\"\n", errorKey: "hello",
                    reason: "expected a table, got a string"),
        BadLanguage("no hello source", replacing: "source", errorKey: "hello.source", reason: "missing: a program printing a greeting"),
        BadLanguage("empty hello source", replacing: "source", with: "source = ''", errorKey: "hello.source", reason: "must not be empty"),
        BadLanguage("no hello stdout", replacing: "stdout", errorKey: "hello.stdout",
                    reason: "missing: exactly what the program prints, such as \"hello, world\\n\""),
        BadLanguage("unknown hello key", extra: "stdin = \"x\"\n", errorKey: "hello.stdin",
                    reason: "unknown key; known keys are \"source\", \"stdout\""),
    ]

    @Test(arguments: badLanguages)
    func badManifestIsReportedWithFileKeyAndReason(_ bad: BadLanguage) throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(bad.toml, to: "languages/\(bad.fileName).toml")
        let error = try #require(throws: CatalogError.self) { try Language(contentsOf: path, image: Self.image) }
        #expect(error.file == path)
        #expect(error.key == bad.key)
        if bad.prefixOnly {
            #expect(error.reason.hasPrefix(bad.reason), "\(error.reason)")
        } else {
            #expect(error.reason == bad.reason)
        }
    }

    @Test func everyKeyIsRead() throws {
        let toml = """
            display_name = "C"
            extensions = [".c", ".h"]
            source_file = "main.c"
            version = ["/usr/bin/gcc", "--version"]
            compile = ["/usr/bin/gcc", "-o", "main", "main.c"]
            run = ["/work/main"]
            [environment]
            CC_OPTS = "-O2"
            HOME = "/tmp"
            [hello]
            source = '''
            int main(void) { return 0; }
            '''
            stdout = ""
            """
        let language = try Language(name: "c", image: Self.image, toml: toml, file: "c.toml")
        #expect(language == Language(
            name: "c", image: "test", displayName: "C", extensions: [".c", ".h"], sourceFile: "main.c",
            versionCommand: ["/usr/bin/gcc", "--version"], compileCommand: ["/usr/bin/gcc", "-o", "main", "main.c"],
            runCommand: ["/work/main"], environment: ["CC_OPTS": "-O2", "HOME": "/tmp"],
            hello: LanguageSelfTest(source: "int main(void) { return 0; }\n", stdout: "")))
        #expect(language.isCompiled)
        #expect(language.runCommand(arguments: ["a", "b"]) == ["/work/main", "a", "b"])
        // The language's variables win over the image's.
        #expect(language.environment(over: Self.image.environment) == ["CC_OPTS": "-O2", "HOME": "/tmp"])
        #expect(language.environment(over: ["PATH": "/usr/bin"]) == ["CC_OPTS": "-O2", "HOME": "/tmp", "PATH": "/usr/bin"])
    }

    @Test func interpretedLanguageHasNoCompileStep() throws {
        let language = try Language(name: "python", image: Self.image, toml: BadLanguage.manifest(), file: "python.toml")
        #expect(!language.isCompiled)
        #expect(language.compileCommand == nil)
        #expect(language.environment == [:])
        #expect(language.hello == LanguageSelfTest(source: "print(\"hello, world\")", stdout: "hello, world\n"))
    }

    @Test func programLinkedOutsideTheImageIsRefused() throws {
        let folder = try TemporaryDirectory()
        let link = "\(folder.path)/python3"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/usr/bin/python3")
        // Built directly: an image manifest could not show a folder under /tmp.
        let image = SandboxImage(name: "links", binds: [ReadOnlyBind(source: folder.path)])
        let toml = BadLanguage.manifest(replacing: "run", with: "run = [\"\(link)\"]")
            .replacingOccurrences(of: "version = [\"/usr/bin/python3\", \"--version\"]", with: "version = [\"\(link)\"]")
        let error = try #require(throws: CatalogError.self) { try Language(name: "linked", image: image, toml: toml, file: "linked.toml") }
        let resolved = try #require(realpath("/usr/bin/python3", nil))
        defer { free(resolved) }
        #expect(error == CatalogError(
            file: "linked.toml", key: "run",
            reason: "\"\(link)\" leads to \(String(cString: resolved)), which is not inside any read_only or optional path of image links"))
    }

    @Test(arguments: [
        ("Python 3.11.2\n", "", "Python 3.11.2"),
        ("\nThis is perl 5\n", "", "This is perl 5"),
        ("", "openjdk version \"17\"\nOpenJDK Runtime\n", "openjdk version \"17\""),
        ("  v20.1  \r\n", "ignored\n", "v20.1"),
        ("\n \n", "\n", nil),
    ] as [(String, String, String?)])
    func versionIsTheFirstNonBlankLine(stdout: String, stderr: String, expected: String?) {
        #expect(Language.versionLine(stdout: stdout, stderr: stderr) == expected)
    }

    @Test func brokenLanguageLeavesTheImageAndItsOtherLanguagesUsable() throws {
        let folder = try TemporaryDirectory()
        try folder.write("[filesystem]\nread_only = [\"/usr\"]\n", to: "plain/image.toml")
        try folder.write(BadLanguage.manifest(), to: "plain/languages/python.toml")
        try folder.write(BadLanguage.manifest(replacing: "display_name", with: "display_name = \"Py 2\""), to: "plain/languages/py2.toml")
        let broken = try folder.write(BadLanguage.manifest(replacing: "run", with: "run = [\"/usr/bin/no-such-brig-program\"]"),
                                      to: "plain/languages/broken.toml")
        let syntax = try folder.write("display_name = ", to: "plain/languages/syntax.toml")
        try folder.write("notes", to: "plain/languages/README.md")
        try folder.write("", to: "plain/languages/.python.toml.swp")

        let image = try SandboxImage(directory: "\(folder.path)/plain")
        #expect(image.languages.keys.sorted() == ["py2", "python"])
        #expect(image.languages["python"]?.image == "plain")
        #expect(image.languages["py2"]?.displayName == "Py 2")
        #expect(image.languageErrors.map(\.file) == [broken, syntax])
        #expect(image.languageErrors.first == CatalogError(
            file: broken, key: "run", reason: "\"/usr/bin/no-such-brig-program\" does not exist on this host"))

        let catalog = ImageCatalog(directory: folder.path)
        #expect(catalog.errors == [])
        #expect(catalog.names == ["plain"])
        #expect(catalog.languages.keys.sorted() == ["py2", "python"])
        #expect(catalog.languageErrors == image.languageErrors)
        #expect(try catalog.language(named: "python").displayName == "Python 3")
        #expect(throws: CatalogError(
            file: broken, key: "run",
            reason: "\"/usr/bin/no-such-brig-program\" does not exist on this host (available: py2, python)"
        )) {
            try catalog.language(named: "broken")
        }
        #expect(throws: CatalogError(
            file: "\(folder.path)/*/languages/cobol.toml", key: nil, reason: "no such language (available: py2, python)"
        )) {
            try catalog.language(named: "cobol")
        }
    }

    @Test func imageWithoutLanguagesFolderHasNoLanguagesAndNoErrors() throws {
        let folder = try TemporaryDirectory()
        try folder.write("[filesystem]\nread_only = [\"/usr\"]\n", to: "bare/image.toml")
        let image = try SandboxImage(directory: "\(folder.path)/bare")
        #expect(image.languages == [:])
        #expect(image.languageErrors == [])
    }

    @Test func languagesThatIsAFileIsReported() throws {
        let folder = try TemporaryDirectory()
        try folder.write("[filesystem]\nread_only = [\"/usr\"]\n", to: "odd/image.toml")
        let file = try folder.write("python", to: "odd/languages")
        let image = try SandboxImage(directory: "\(folder.path)/odd")
        #expect(image.languages == [:])
        #expect(image.languageErrors == [CatalogError(file: file, key: nil, reason: "cannot list this folder")])
    }

    @Test func brokenImageManifestStillFailsTheWholeImage() throws {
        let folder = try TemporaryDirectory()
        let manifest = try folder.write("[filesystem]\nread_only = [\"/proc\"]\n", to: "bad/image.toml")
        try folder.write(BadLanguage.manifest(), to: "bad/languages/python.toml")
        let catalog = ImageCatalog(directory: folder.path)
        #expect(catalog.names == [])
        #expect(catalog.errors.map(\.file) == [manifest])
        #expect(catalog.languages.isEmpty)
        #expect(throws: CatalogError(
            file: "\(folder.path)/*/languages/python.toml", key: nil, reason: "no such language (no language is usable)"
        )) {
            try catalog.language(named: "python")
        }
    }

    @Test func sameLanguageInTwoImagesComesFromTheFirstAndIsReported() throws {
        let folder = try TemporaryDirectory()
        for image in ["alpha", "beta"] {
            try folder.write("[filesystem]\nread_only = [\"/usr\"]\n", to: "\(image)/image.toml")
            try folder.write(BadLanguage.manifest(), to: "\(image)/languages/python.toml")
        }
        let catalog = ImageCatalog(directory: folder.path)
        #expect(try catalog.language(named: "python").image == "alpha")
        #expect(catalog.languageErrors == [CatalogError(
            file: "\(folder.path)/beta/languages/python.toml", key: nil,
            reason: "language python is already provided by image alpha, which is used")])
    }
}

