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
        for bind in host.binds {
            #expect(bind.source != forbidden && !bind.source.hasPrefix(forbidden + "/"), "\(bind.source)")
        }
    }
}
