import Foundation
import Synchronization
import TestSupport
import Testing
@testable import Sandbox

/// The workspace's file operations against escape attempts: ".." and absolute paths, symlinks to the host as
/// the last component and in a parent, and a symlink swapped in by another thread while the operations run.
@Suite(.serialized, .ownThread) struct WorkspaceFilesTests {
    static let counter = Atomic<Int>(0)

    /// A mounted workspace and a host directory holding a secret, both removed afterwards.
    static func withWorkspace(_ body: (Workspace, String) throws -> Void) throws {
        let name = "\(getpid())-\(counter.add(1, ordering: .relaxed).newValue)"
        let path = "\(SandboxFixture.runtimeDirectory)/wsfiles-\(name)"
        let host = "/tmp/brig-wsfiles-\(name)"
        _ = try SandboxFixture.launcher()  // creates the runtime directory
        try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: host) }
        try Data("HOST-SECRET".utf8).write(to: URL(fileURLWithPath: host + "/secret"))
        let workspace = try Workspace.create(at: path, sizeBytes: 4 << 20, owner: SandboxIdentity(sessionSlot: 999))
        defer { try? workspace.remove() }
        try body(workspace, host)
        #expect(try FileManager.default.contentsOfDirectory(atPath: host) == ["secret"])
        #expect(try String(contentsOfFile: host + "/secret", encoding: .utf8) == "HOST-SECRET")
    }

    static func errno(of body: () throws -> Void) -> Int32? {
        do {
            try body()
            return nil
        } catch let error as SandboxError {
            return error.errno
        } catch {
            return -1
        }
    }

    @Test func filesRoundTripWithOwnerModeAndListing() throws {
        try Self.withWorkspace { workspace, _ throws in
            try workspace.writeFile("src/main.c", Array("int main(){}".utf8), mode: 0o755)
            #expect(try workspace.item(at: "src/main.c", maxBytes: 1 << 20) == .file(Array("int main(){}".utf8)))
            let entry = try workspace.entry(at: "src/main.c")
            #expect(entry.kind == .file && entry.size == 12 && entry.mode == 0o755)
            var info = stat()
            #expect(stat(workspace.path + "/src/main.c", &info) == 0)
            #expect(info.st_uid == SandboxIdentity(sessionSlot: 999).hostUID)
            #expect(stat(workspace.path + "/src", &info) == 0 && info.st_uid == 61999)
            #expect(try workspace.entries(under: "", recursive: true).map(\.path) == ["src", "src/main.c"])
            #expect(Self.errno { _ = try workspace.item(at: "src/main.c", maxBytes: 4) } == EFBIG)
            try workspace.removeItem("src", recursive: true)
            #expect(try workspace.entries(under: "", recursive: true).isEmpty)
        }
    }

    @Test(arguments: ["../x", "/etc/passwd", "a/../../x", "", "a//b", "./a"])
    func badPathsAreRefused(path: String) throws {
        try Self.withWorkspace { workspace, _ throws in
            #expect(Self.errno { try workspace.writeFile(path, [1]) } == EINVAL)
            #expect(Self.errno { try workspace.removeItem(path, recursive: true) } == EINVAL)
        }
    }

    @Test func symlinksAreNeverFollowed() throws {
        try Self.withWorkspace { workspace, host throws in
            #expect(symlink(host, workspace.path + "/hostdir") == 0)
            #expect(symlink(host + "/secret", workspace.path + "/secretlink") == 0)
            #expect(mkdir(workspace.path + "/d", 0o755) == 0)
            #expect(symlink(host, workspace.path + "/d/up") == 0)
            for path in ["secretlink", "hostdir/secret", "d/up/secret"] {
                #expect(Self.errno { _ = try workspace.item(at: path, maxBytes: 1 << 20) } == ELOOP, "read \(path)")
                #expect(Self.errno { try workspace.writeFile(path, Array("pwned".utf8)) } == ELOOP, "write \(path)")
            }
            #expect(Self.errno { try workspace.writeFile("hostdir/new", [1]) } == ELOOP)
            #expect(Self.errno { try workspace.removeItem("hostdir/secret", recursive: false) } == ELOOP)
            #expect(Self.errno { _ = try workspace.entries(under: "hostdir", recursive: true) } == ELOOP)
            // The whole tree lists links as links; removing it recursively removes the links, not their targets.
            let listed = try workspace.entries(under: "", recursive: true)
            #expect(listed.first { $0.path == "hostdir" }?.target == host)
            try workspace.removeItem("d", recursive: true)
            try workspace.removeItem("hostdir", recursive: true)
        }
    }

    @Test func aSymlinkSwappedInDuringOperationsNeverLeadsOut() throws {
        try Self.withWorkspace { workspace, host throws in
            let stop = Atomic<Bool>(false)
            let swapper = Thread {
                let race = workspace.path + "/race"
                while !stop.load(ordering: .relaxed) {
                    unlink(race)
                    mkdir(race, 0o755)
                    rmdir(race)
                    symlink(host, race)
                }
            }
            swapper.start()
            defer { stop.store(true, ordering: .relaxed) }
            var wrote = 0
            for attempt in 0..<2000 {
                if (try? workspace.writeFile("race/secret", Array("pwned-\(attempt)".utf8))) != nil { wrote += 1 }
                if case .file(let bytes)? = try? workspace.item(at: "race/secret", maxBytes: 1 << 20) {
                    #expect(!String(decoding: bytes, as: UTF8.self).contains("HOST-SECRET"))
                }
                _ = try? workspace.removeItem("race/secret", recursive: false)
            }
            stop.store(true, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @Test func aFIFOIsNeitherReadNorWritten() throws {
        try Self.withWorkspace { workspace, _ throws in
            #expect(mkfifo(workspace.path + "/pipe", 0o666) == 0)
            #expect(Self.errno { _ = try workspace.item(at: "pipe", maxBytes: 1 << 20) } == EINVAL)
            #expect(Self.errno { try workspace.writeFile("pipe", [1]) } != nil)
            #expect(try workspace.entry(at: "pipe").kind == .other)
        }
    }
}
