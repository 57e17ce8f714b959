import Foundation
import Sandbox
import Testing
@testable import Catalog

/// The operator files shipped at the repository root must load cleanly.
@Suite struct ShippedFilesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func profilesLoadWithoutErrors() throws {
        let catalog = ProfileCatalog(directory: "\(Self.root)/profiles")
        #expect(catalog.errors == [])
        #expect(catalog.names == ["build", "default", "tiny"])

        let standard = try catalog.profile(named: "default")
        #expect(standard.limits == SandboxLimits())
        #expect(standard.maxima.memoryBytes == 1 << 30)

        let build = try catalog.profile(named: "build")
        #expect(build.limits.wallTime == .seconds(600))
        #expect(build.limits.memoryBytes == 2 << 30)
        #expect(build.limits.cpus == 2)
        #expect(build.limits.workspaceBytes == 1 << 30)
        #expect(build.concurrency == 1)

        let tiny = try catalog.profile(named: "tiny")
        #expect(tiny.limits.outputOverflow == .kill)
        #expect(tiny.limits.outputBytes == 64 << 10)
        #expect(tiny.limits.pids == 16)
    }

    @Test func profilesGiveCompilersRoom() throws {
        let catalog = ProfileCatalog(directory: "\(Self.root)/profiles")

        let standard = try catalog.profile(named: "default")
        var expected = standard.limits
        expected.wallTime = .seconds(30)
        expected.cpuTime = .seconds(30)
        expected.memoryBytes = 1 << 30
        expected.pids = 256
        expected.tmpBytes = 256 << 20
        #expect(standard.compileLimits == expected)

        // build's limits are roomy already: its [compile] takes them all.
        let build = try catalog.profile(named: "build")
        #expect(build.compileLimits == build.limits)

        let tiny = try catalog.profile(named: "tiny")
        #expect(tiny.compileLimits.memoryBytes == 1 << 30)
        #expect(tiny.compileLimits.pids == 256)
        #expect(tiny.compileLimits.wallTime == .seconds(30))
        // A long compiler error is cut, not the compile ended; the run keeps tiny's own rule.
        #expect(tiny.compileLimits.outputOverflow == .truncate)
        #expect(tiny.limits.outputOverflow == .kill)
        #expect(tiny.compileLimits.workspaceBytes == tiny.limits.workspaceBytes)

        for name in catalog.names {
            let profile = try catalog.profile(named: name)
            #expect(profile.compileLimits.memoryBytes >= 1 << 30, "\(name): a Swift or Java compile needs 1GiB")
            #expect(profile.compileLimits.pids >= 256, "\(name)")
            #expect(profile.compileLimits.wallTime >= .seconds(30), "\(name)")
        }
    }

    static let shippedLanguages = ["bash", "c", "cpp", "go", "java", "javascript", "perl", "python", "ruby", "swift"]

    @Test func shippedLanguagesLoad() throws {
        let host = try ImageCatalog(directory: "\(Self.root)/sandbox-images").image(named: "host")
        #expect(host.languageErrors == [])
        #expect(host.languages.keys.sorted() == Self.shippedLanguages)
        let compiled = host.languages.values.filter(\.isCompiled).map(\.name).sorted()
        #expect(compiled == ["c", "cpp", "go", "java", "swift"])
        for language in host.languages.values {
            #expect(language.image == "host")
            #expect(!language.hello.stdout.isEmpty, "\(language.name)")
            // Debian's python3, never the pyenv shim on root's PATH.
            for command in [language.versionCommand, language.runCommand] + (language.compileCommand.map { [$0] } ?? []) {
                #expect(!command[0].hasPrefix("/root"), "\(language.name): \(command)")
            }
        }
        #expect(host.languages["python"]?.runCommand.first == "/usr/bin/python3")
        #expect(host.languages["java"]?.sourceFile == "Main.java")
        #expect(host.languages["go"]?.environment["GOCACHE"]?.hasPrefix("/tmp/") == true)
    }

    @Test func everyExtensionMeansOneLanguage() throws {
        let host = try ImageCatalog(directory: "\(Self.root)/sandbox-images").image(named: "host")
        var owner: [String: String] = [:]
        for language in host.languages.values.sorted(by: { $0.name < $1.name }) {
            for ending in language.extensions {
                #expect(owner[ending] == nil, "\(ending): \(owner[ending] ?? "") and \(language.name)")
                owner[ending] = language.name
            }
        }
    }

    @Test func hostImageLoadsWithoutErrors() throws {
        let catalog = ImageCatalog(directory: "\(Self.root)/sandbox-images")
        #expect(catalog.errors == [])
        let host = try catalog.image(named: "host")
        #expect(host.binds.contains(ReadOnlyBind(source: "/usr")))
        #expect(host.binds.contains(ReadOnlyBind(source: "/etc/ld.so.cache")))
        #expect(host.environment["PATH"] == "/usr/local/bin:/usr/bin:/bin")
        #expect(host.environment["HOME"] == "/work")
    }

    @Test(arguments: ["/root", "/home", "/tmp", "/var", "/run", "/sys", "/opt", "/etc/ssl/private"])
    func hostImageShowsNothingPrivate(_ forbidden: String) throws {
        let host = try ImageCatalog(directory: "\(Self.root)/sandbox-images").image(named: "host")
        // The Swift toolchain is the one thing under /opt the sandbox may see.
        for bind in host.binds where bind.source != "/opt/swift" {
            #expect(bind.source != forbidden && !bind.source.hasPrefix(forbidden + "/"), "\(bind.source)")
        }
    }

    @Test func swiftToolchainIsOptionalAndTheOnlyThingUnderOpt() throws {
        let host = try ImageCatalog(directory: "\(Self.root)/sandbox-images").image(named: "host")
        #expect(host.binds.filter { $0.source.hasPrefix("/opt") } == [ReadOnlyBind(source: "/opt/swift", optional: true)])
    }
}
