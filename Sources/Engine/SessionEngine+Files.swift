import API
import Catalog
import Foundation
import Sandbox
import Store

extension SessionEngine {
    // MARK: SessionService: files

    public func writeFile(_ path: String, bytes: [UInt8], mode: UInt32?, session id: String, peer: Peer) async throws(APIError) -> FileEntry {
        let (_, session) = try liveSession(id, peer: peer)
        try Self.checkPath(path)
        if UInt64(bytes.count) > session.profile.limits.workspaceBytes {
            throw APIError("too_large", "\(bytes.count) bytes do not fit the \(ByteSize(bytes: session.profile.limits.workspaceBytes)) workspace", field: "body", httpStatus: 413)
        }
        touch(id)
        do throws(SandboxError) {
            try session.fileLock.withLock { _ throws(SandboxError) in
                try session.workspace.writeFile(path, bytes, mode: mode ?? 0o644)
            }
            return Self.fileEntry(try session.workspace.entry(at: path))
        } catch {
            throw Self.apiError(error, path: path)
        }
    }

    public func readFile(_ path: String, session id: String, peer: Peer) async throws(APIError) -> SessionFile {
        let (_, session) = try liveSession(id, peer: peer)
        if !path.isEmpty { try Self.checkPath(path) }
        touch(id)
        do throws(SandboxError) {
            switch try session.workspace.item(at: path, maxBytes: Int(clamping: session.profile.limits.workspaceBytes)) {
            case .file(let bytes):
                return .file(bytes)
            case .directory(let entries):
                return .directory(FileListing(path: path, entries: entries.map(Self.fileEntry)))
            }
        } catch {
            throw Self.apiError(error, path: path)
        }
    }

    public func listFiles(_ path: String, recursive: Bool, session id: String, peer: Peer) async throws(APIError) -> FileListing {
        let (_, session) = try liveSession(id, peer: peer)
        if !path.isEmpty { try Self.checkPath(path) }
        touch(id)
        do throws(SandboxError) {
            return FileListing(path: path, entries: try session.workspace.entries(under: path, recursive: recursive).map(Self.fileEntry))
        } catch {
            throw Self.apiError(error, path: path)
        }
    }

    public func deleteFile(_ path: String, recursive: Bool, session id: String, peer: Peer) async throws(APIError) {
        let (_, session) = try liveSession(id, peer: peer)
        try Self.checkPath(path)
        touch(id)
        do throws(SandboxError) {
            try session.fileLock.withLock { _ throws(SandboxError) in try session.workspace.removeItem(path, recursive: recursive) }
        } catch {
            throw Self.apiError(error, path: path)
        }
    }

    /// tar runs inside the session's sandbox, as the session's user: it can read nothing but the image and
    /// /work, so whatever sandboxed code planted there, the archive holds only the workspace.
    public func archive(session id: String, peer: Peer) async throws(APIError) -> [UInt8] {
        let (record, session) = try liveSession(id, peer: peer)
        touch(id)
        let result = try await tarStep(
            ["tar", "--format=posix", "--ignore-failed-read", "-C", "/work", "-cf", "-", "."], stdin: [], session: session, record: record)
        guard result.status == .ok else {
            throw APIError("archive_failed", "tar ended with \(result.status.rawValue): \(result.stderr.text.suffix(500))", httpStatus: 500)
        }
        return result.stdout.bytes
    }

    /// Refuses entries that are absolute or contain ".." (before anything is written), then unpacks inside the
    /// session's sandbox, where a symlink-then-file trick can at worst write inside the sandbox's own view.
    public func extractArchive(_ bytes: [UInt8], session id: String, peer: Peer) async throws(APIError) -> ArchiveReport {
        let (record, session) = try liveSession(id, peer: peer)
        let scan = try TarArchiveScan(bytes)
        if scan.bytes > session.profile.limits.workspaceBytes {
            throw APIError("too_large", "the archive holds \(scan.bytes) bytes; the workspace holds \(ByteSize(bytes: session.profile.limits.workspaceBytes))", field: "body", httpStatus: 413)
        }
        touch(id)
        let result = try await tarStep(
            ["tar", "-C", "/work", "-xf", "-", "--no-same-owner", "--no-same-permissions", "--delay-directory-restore"],
            stdin: bytes, session: session, record: record)
        guard result.status == .ok else {
            if result.stderr.text.contains("No space left") {
                throw APIError("too_large", "the archive does not fit the workspace", field: "body", httpStatus: 413)
            }
            throw APIError("invalid_archive", "tar ended with \(result.status.rawValue): \(result.stderr.text.suffix(500))", field: "body")
        }
        return ArchiveReport(files: scan.files, bytes: scan.bytes)
    }

    /// A tar run in the session (not one of its steps: it is not listed, but its CPU time counts).
    private func tarStep(_ argv: [String], stdin: [UInt8], session: LiveSession, record: SessionRecord) async throws(APIError) -> SandboxResult {
        var limits = session.profile.limits
        limits.outputBytes = Int(clamping: session.profile.limits.workspaceBytes + (16 << 20))
        limits.outputOverflow = .kill
        limits.wallTime = max(limits.wallTime, .seconds(120))
        limits.cpuTime = max(limits.cpuTime, .seconds(60))
        let spec = SandboxSpec(
            command: argv, environment: session.image.environment, binds: session.image.binds, limits: limits, stdin: stdin,
            workspace: session.workspace, network: session.network)
        let launcher = self.launcher
        let result = await Self.onThread("brig-session-tar") {
            session.fileLock.withLock { _ in launcher.run(spec) }
        }
        let cpu = (result.cpuUserTime + result.cpuSystemTime).components
        try? store.addSessionCPUTime(id: record.id, milliseconds: cpu.seconds * 1000 + cpu.attoseconds / 1_000_000_000_000_000)
        return result
    }

    static func checkPath(_ path: String) throws(APIError) {
        if let problem = WorkspacePath.problem(path) {
            throw APIError("invalid_path", "\(path.debugDescription): \(problem)", field: "path")
        }
    }

    static func fileEntry(_ entry: WorkspaceEntry) -> FileEntry {
        let mode = String(entry.mode, radix: 8)
        return FileEntry(
            path: entry.path, type: entry.kind.rawValue, size: entry.size,
            mode: String(repeating: "0", count: max(0, 4 - mode.count)) + mode,
            modifiedAt: Date(timeIntervalSince1970: entry.modified), target: entry.target)
    }

    /// A workspace failure as the client should read it, by errno.
    static func apiError(_ error: SandboxError, path: String) -> APIError {
        switch error.errno {
        case EINVAL:
            return APIError("invalid_path", "\(path.debugDescription) is not a relative path inside /work", field: "path")
        case ENOENT:
            return APIError.notFound("\(path.debugDescription) in the workspace")
        case ELOOP, EXDEV:
            return APIError("symlink_refused", "\(path.debugDescription) goes through a symlink; brig never follows links in a workspace", field: "path")
        case ENOSPC, EFBIG, EDQUOT:
            return APIError("too_large", "\(path.debugDescription): the workspace is full or the file too large", field: "path", httpStatus: 413)
        case ENOTDIR, EISDIR, ENOTEMPTY, EEXIST, ENXIO:
            return APIError("conflict", error.description, field: "path", httpStatus: 409)
        default:
            return APIError("internal_error", error.description, httpStatus: 500)
        }
    }
}
