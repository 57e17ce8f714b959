import Sandbox
import Testing
@testable import Catalog

/// An image manifest with one mistake, and what the error must say about it.
struct BadImage: Sendable, CustomTestStringConvertible {
    let label: String
    let toml: String
    let key: String?
    let reason: String

    var testDescription: String { label }

    init(_ label: String, readOnly: String = "\"/usr\"", optional: String = "", extra: String = "", key: String?, reason: String) {
        self.label = label
        self.toml = """
            description = "test"
            [filesystem]
            read_only = [\(readOnly)]
            optional = [\(optional)]
            \(extra)
            """
        self.key = key
        self.reason = reason
    }

    init(_ label: String, toml: String, key: String?, reason: String) {
        self.label = label
        self.toml = toml
        self.key = key
        self.reason = reason
    }
}

@Suite struct SandboxImageTests {
    static let badImages: [BadImage] = [
        BadImage("relative path", readOnly: "\"usr\"", key: "filesystem.read_only", reason: "\"usr\" is not an absolute path"),
        BadImage("dot dot", readOnly: "\"/usr/../etc/shadow\"", key: "filesystem.read_only",
                 reason: "\"/usr/../etc/shadow\" contains \"..\": write the path it leads to"),
        BadImage("proc", readOnly: "\"/usr\", \"/proc\"", key: "filesystem.read_only",
                 reason: "\"/proc\" is inside /proc, which brig mounts itself"),
        BadImage("inside proc", optional: "\"/proc/self\"", key: "filesystem.optional",
                 reason: "\"/proc/self\" is inside /proc, which brig mounts itself"),
        BadImage("work", optional: "\"/work/shared\"", key: "filesystem.optional",
                 reason: "\"/work/shared\" is inside /work, which brig mounts itself"),
        BadImage("tmp with a trailing slash", optional: "\"/tmp/\"", key: "filesystem.optional",
                 reason: "\"/tmp\" is inside /tmp, which brig mounts itself"),
        BadImage("generated file", readOnly: "\"/etc/passwd\"", key: "filesystem.read_only",
                 reason: "\"/etc/passwd\" is inside /etc/passwd, which brig mounts itself"),
        BadImage("folder above a generated file", readOnly: "\"/etc\"", key: "filesystem.read_only",
                 reason: "\"/etc\" would cover /etc/passwd, which brig mounts itself; list what is needed inside it instead"),
        BadImage("root", readOnly: "\"/\"", key: "filesystem.read_only",
                 reason: "\"/\" is the whole host: list the folders the sandbox needs"),
        BadImage("root spelt oddly", readOnly: "\"//./\"", key: "filesystem.read_only",
                 reason: "\"/\" is the whole host: list the folders the sandbox needs"),
        BadImage("control character", readOnly: "\"/usr\\n\"", key: "filesystem.read_only",
                 reason: "\"/usr\n\" contains a control character"),
        BadImage("missing required path", readOnly: "\"/usr\", \"/no/such/brig/path\"", key: "filesystem.read_only",
                 reason: "\"/no/such/brig/path\" does not exist on this host (list it under optional if it may be missing)"),
        BadImage("duplicate", readOnly: "\"/usr\"", optional: "\"/usr/\"", key: "filesystem.optional",
                 reason: "\"/usr\" is listed twice"),
        BadImage("no read_only paths", readOnly: "", key: "filesystem.read_only",
                 reason: "must list at least one host path, such as \"/usr\""),
        BadImage("path not a string", readOnly: "\"/usr\", 5", key: "filesystem.read_only",
                 reason: "item 2 is an integer, expected a string"),
        BadImage("bad variable name", extra: "[environment]\n1PATH = \"/bin\"", key: "environment.1PATH",
                 reason: "\"1PATH\" is not a variable name: use letters, digits and _, not starting with a digit"),
        BadImage("dash in a variable name", extra: "[environment]\n\"MY-VAR\" = \"x\"", key: "environment.MY-VAR",
                 reason: "\"MY-VAR\" is not a variable name: use letters, digits and _, not starting with a digit"),
        BadImage("variable not a string", extra: "[environment]\nDEBUG = 1", key: "environment.DEBUG",
                 reason: "expected a string, got an integer"),
        BadImage("NUL in a value", extra: "[environment]\nLANG = \"C\\u0000\"", key: nil,
                 reason: "line 6, column 10: a NUL character (\\u0000) cannot be used: strings end there"),
        BadImage("NUL in a path", readOnly: "\"/usr\\U00000000/x\"", key: nil,
                 reason: "line 3, column 19: a NUL character (\\u0000) cannot be used: strings end there"),
        BadImage("misspelt filesystem key", toml: "[filesystem]\nreadonly = [\"/usr\"]\n", key: "filesystem.readonly",
                 reason: "unknown key; did you mean \"read_only\"?"),
        BadImage("filesystem key at the top", toml: "read_only = [\"/usr\"]\n", key: "read_only",
                 reason: "unknown key; did you mean \"filesystem.read_only\"?"),
        BadImage("no filesystem", toml: "description = \"empty\"\n", key: "filesystem",
                 reason: "missing: list the host paths the sandbox sees in read_only"),
    ]

    @Test(arguments: badImages)
    func badManifestIsReportedWithFileKeyAndReason(_ bad: BadImage) throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write(bad.toml, to: "broken/image.toml")
        let error = try #require(throws: CatalogError.self) { try SandboxImage(directory: "\(folder.path)/broken") }
        #expect(error == CatalogError(file: file, key: bad.key, reason: bad.reason))
    }

    @Test func goodManifestGivesSortedBindsAndEnvironment() throws {
        let toml = """
            description = "small"
            [filesystem]
            read_only = ["/usr/", "/bin", "/etc/ld.so.cache"]
            optional = ["/no/such/brig/path", "/usr/./lib"]
            [environment]
            PATH = "/usr/bin:/bin"
            LANG = "C.UTF-8"
            _X1 = ""
            """
        let image = try SandboxImage(name: "small", toml: toml, file: "small/image.toml")
        #expect(image.name == "small")
        #expect(image.description == "small")
        #expect(image.binds == [
            ReadOnlyBind(source: "/bin"),
            ReadOnlyBind(source: "/etc/ld.so.cache"),
            ReadOnlyBind(source: "/no/such/brig/path", optional: true),
            ReadOnlyBind(source: "/usr"),
            ReadOnlyBind(source: "/usr/lib", optional: true),
        ])
        #expect(image.environment == ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "_X1": ""])
        #expect(image.environmentEntries == ["LANG=C.UTF-8", "PATH=/usr/bin:/bin", "_X1="])
    }

    @Test func catalogKeepsGoodImagesAndReportsBadOnes() throws {
        let folder = try TemporaryDirectory()
        try folder.write("[filesystem]\nread_only = [\"/usr\"]\n", to: "plain/image.toml")
        try folder.write("not a manifest", to: "plain/languages/python.toml")
        let broken = try folder.write("[filesystem]\nread_only = [\"/proc\"]\n", to: "broken/image.toml")
        try folder.write("", to: "notes.txt")
        try folder.write("", to: "empty/.keep")

        let catalog = ImageCatalog(directory: folder.path)

        #expect(catalog.names == ["plain"])
        #expect(try catalog.image(named: "plain").binds == [ReadOnlyBind(source: "/usr")])
        // A broken language is the language's problem, not the image's.
        #expect(catalog.languageErrors.map(\.file) == ["\(folder.path)/plain/languages/python.toml"])
        #expect(catalog.errors == [
            CatalogError(file: broken, key: "filesystem.read_only", reason: "\"/proc\" is inside /proc, which brig mounts itself"),
            CatalogError(file: "\(folder.path)/empty/image.toml", key: nil, reason: "does not exist"),
        ])
        #expect(throws: CatalogError(
            file: "\(folder.path)/alpine/image.toml", key: nil, reason: "no such image (available: plain)"
        )) {
            try catalog.image(named: "alpine")
        }
    }
}
