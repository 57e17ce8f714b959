import Foundation
import Testing
@testable import Catalog

@Suite struct ProfileCatalogTests {
    @Test func keepsGoodProfilesAndReportsBadFiles() throws {
        let folder = try TemporaryDirectory()
        try folder.write("[limits]\nmemory = \"512MiB\"\n", to: "good.toml")
        try folder.write("description = \"also fine\"\n", to: "other.toml")
        let broken = try folder.write("[limits]\nmemory = \"lots\"\n", to: "broken.toml")
        let badName = try folder.write("", to: "Bad Name.toml")
        try folder.write("not a profile", to: "README.md")
        try folder.write("not = [valid", to: ".hidden.toml")

        let catalog = ProfileCatalog(directory: folder.path)

        #expect(catalog.names == ["good", "other"])
        #expect(try catalog.profile(named: "good").limits.memoryBytes == 512 << 20)
        #expect(catalog.errors.map(\.file) == [badName, broken])
        #expect(catalog.errors.last == CatalogError(
            file: broken, key: "limits.memory",
            reason: "\"lots\" is not a size: use a number with B, KiB, MiB, GiB (or kB, MB, GB)"))
    }

    @Test func askingForAMissingProfileListsWhatExists() throws {
        let folder = try TemporaryDirectory()
        try folder.write("", to: "default.toml")
        try folder.write("", to: "tiny.toml")
        let catalog = ProfileCatalog(directory: folder.path)

        #expect(throws: CatalogError(
            file: "\(folder.path)/huge.toml", key: nil, reason: "no such profile (available: default, tiny)"
        )) {
            try catalog.profile(named: "huge")
        }
    }

    @Test func askingForABrokenProfileGivesItsErrorAndWhatExists() throws {
        let folder = try TemporaryDirectory()
        try folder.write("", to: "default.toml")
        let broken = try folder.write("[limits]\npids = 0\n", to: "build.toml")
        let catalog = ProfileCatalog(directory: folder.path)

        #expect(throws: CatalogError(
            file: broken, key: "limits.pids", reason: "must be between 1 and 32768, not 0 (available: default)"
        )) {
            try catalog.profile(named: "build")
        }
    }

    @Test func aMissingFolderIsOneError() throws {
        let folder = try TemporaryDirectory()
        let catalog = ProfileCatalog(directory: "\(folder.path)/nowhere")
        #expect(catalog.profiles.isEmpty)
        #expect(catalog.errors == [CatalogError(file: "\(folder.path)/nowhere", key: nil, reason: "folder does not exist")])
        #expect(throws: CatalogError(
            file: "\(folder.path)/nowhere/default.toml", key: nil, reason: "no such profile (no profile is usable)"
        )) {
            try catalog.profile(named: "default")
        }
    }

    @Test func aFileThatIsNotUTF8IsReported() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("", to: "latin.toml")
        try Data([0x64, 0x3d, 0x22, 0xe9, 0x22]).write(to: URL(fileURLWithPath: path))
        let catalog = ProfileCatalog(directory: folder.path)
        #expect(catalog.errors == [CatalogError(file: path, key: nil, reason: "is not UTF-8 text")])
    }
}
