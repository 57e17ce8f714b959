import Foundation
import Testing
@testable import Catalog

@Suite struct BuiltinCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func builtInFilesAreTheShippedFilesByteForByte() throws {
        let profile = try String(contentsOf: Self.root.appendingPathComponent("profiles/default.toml"), encoding: .utf8)
        let image = try String(contentsOf: Self.root.appendingPathComponent("sandbox-images/host/image.toml"), encoding: .utf8)
        #expect(BuiltinCatalog.defaultProfile == profile)
        #expect(BuiltinCatalog.hostImage == image)
    }

    @Test func builtInCatalogServesTheDefaultProfileAndHostImage() throws {
        let catalog = try OperatorCatalog.builtIn()
        let shipped = OperatorCatalog(directory: Self.root.path)
        #expect(try catalog.profile(named: "default") == shipped.profile(named: "default"))
        // The built-in image is image.toml alone: languages come only from languages/*.toml files.
        var shippedHost = try shipped.image(named: "host")
        #expect(!shippedHost.languages.isEmpty)
        shippedHost.languages = [:]
        shippedHost.languageErrors = []
        #expect(try catalog.image(named: "host") == shippedHost)
        #expect(catalog.location == "built-in")
    }

    @Test func locateFindsTheCheckoutAnExecutableWasBuiltIn() throws {
        let executable = Self.root.appendingPathComponent(".build/debug/brig").path
        let catalog = try OperatorCatalog.locate(explicit: nil, environment: { _ in nil }, executable: executable)
        // realpath needs the file to exist; without a build the built-in catalog answers instead.
        let expected = OperatorCatalog.isCatalog("/etc/brig") ? "/etc/brig"
            : FileManager.default.fileExists(atPath: executable) ? Self.root.path : "built-in"
        #expect(catalog.location == expected)
        #expect(try OperatorCatalog.locate(explicit: "/somewhere", environment: { _ in nil }, executable: executable).location == "/somewhere")
        #expect(try OperatorCatalog.locate(explicit: nil, environment: { $0 == "BRIG_CATALOG" ? "/elsewhere" : nil }, executable: executable).location == "/elsewhere")
    }
}
