import API
@testable import Engine
import Foundation
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The state directory on a tmpfs of a few MiB, filled up: brig stops admitting work before the store meets the
/// full disk, and the store stays sound.
@Suite(.serialized) struct DiskGuardTests {
    static let alice = JobEngineTests.alice

    @Test func aFullStateFilesystemMakesBrigUnreadyRefusesJobsAndKeepsTheStoreSound() async throws {
        let fixture = try HealthFixture()
        let mountPoint = fixture.directory + "/state"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try #require(mount("tmpfs", mountPoint, "tmpfs", 0, "size=8m,mode=0700") == 0, "mount: \(String(cString: strerror(errno)))")
        defer { umount2(mountPoint, Int32(MNT_DETACH)) }
        let store = try JobStore(path: mountPoint + "/brig.sqlite")
        let engine = try fixture.engine(store: store) {
            $0.stateDirectory = mountPoint
            $0.minimumFreeDiskBytes = 2 << 20
        }
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)
        let before = try await engine.submit(JobRequest(language: "bash", source: "echo stored"), peer: Self.alice)
        let stored = try await engine.wait(for: before.id, peer: Self.alice)
        #expect(stored.status == .ok, "\(stored)")
        #expect(await engine.readiness().ready)

        // Fill the filesystem to the last byte.
        let filler = mountPoint + "/filler"
        // Close-on-exec: a process another test spawns meanwhile (a hook, a `brig`) must not keep the filler
        // open past its unlink, or the space it holds is not given back (seen once in CI: 0B free after it).
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        let chunk = [UInt8](repeating: 0x5a, count: 64 << 10)
        var written = 0
        while true {
            let count = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            written += count
        }
        close(fd)
        #expect(written > 4 << 20)
        defer { unlink(filler) }

        let readiness = await engine.readiness()
        #expect(!readiness.ready)
        let diskReason = try #require(readiness.reasons.first { $0.hasPrefix("disk: ") }, "\(readiness.reasons)")
        #expect(diskReason.contains(mountPoint) && diskReason.contains("below 2MiB"), "\(diskReason)")
        let lost = try await events.wait(for: .readinessLost)
        #expect(lost.detail["reason"]?.contains("disk: ") == true)
        #expect(await engine.health().status == "critical")
        do {
            _ = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
            Issue.record("a job was accepted with the state disk full")
        } catch {
            #expect(error.code == "disk_low")
            #expect(error.httpStatus == 503)
            #expect(error.message.contains(mountPoint))
        }
        // Even a write that slips past the guard fails cleanly; the store stays sound and readable.
        #expect(throws: StoreError.self) {
            for index in 0..<200 {
                _ = try store.insert(JobRecord(
                    id: "j_fill\(index)", owner: 1, language: "bash", profile: "default",
                    request: Data(repeating: 0x41, count: 64 << 10), createdAt: Date()))
            }
        }
        #expect(try store.integrityCheck() == [])
        #expect(try await engine.job(before.id, peer: Self.alice).result?.stdout.text == "stored\n")

        unlink(filler)
        let regained = await engine.readiness()
        #expect(regained.ready, "\(regained)")
        try await events.wait(for: .readinessRegained)
        #expect(try store.integrityCheck() == [])
        let after = try await engine.submit(JobRequest(language: "bash", source: "echo again"), peer: Self.alice)
        #expect(try await engine.wait(for: after.id, peer: Self.alice).status == .ok)
    }

    @Test func aCorruptStoreFailsTheIntegrityCheckAtStartAndEscalates() async throws {
        let fixture = try HealthFixture()
        let path = fixture.directory + "/corrupt.sqlite"
        do {
            let store = try JobStore(path: path)
            for index in 0..<300 {
                _ = try store.insert(JobRecord(
                    id: "j_\(index)", owner: 1, language: "bash", profile: "default",
                    request: Data(repeating: 0x41, count: 2000), createdAt: Date()))
            }
        }
        // Scribble over the middle pages (not the header or the schema): the file still opens.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        handle.write(Data(repeating: 0xff, count: 16 << 10))
        try handle.close()

        let store = try JobStore(path: path)
        let engine = try fixture.engine(start: false, store: store)
        let events = EventLog(engine)
        try? engine.start()
        defer { engine.shutdown(grace: .seconds(1)) }
        let escalation = try await events.wait(for: .escalation)
        #expect(escalation.detail["reason"]?.hasPrefix("store: integrity check") == true, "\(escalation)")
        let readiness = await engine.readiness()
        #expect(!readiness.ready)
        #expect(readiness.reasons.contains { $0.hasPrefix("store: integrity check") }, "\(readiness)")
        await #expect(throws: APIError.self) {
            _ = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
        }
    }
}
