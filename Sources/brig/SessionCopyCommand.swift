import ArgumentParser
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig session cp SRC DST`: files and folders between here and a session's workspace.
struct SessionCopyCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy files or folders into a session's workspace or out of it.",
        discussion: """
            One side is local, the other ID:PATH with PATH relative to /work (or starting with /work/). As \
            with cp, a destination that is an existing folder, or ends with /, receives the source under \
            its own name; otherwise the source is copied to that name. Folders travel as a tar archive \
            (the system's tar packs and unpacks them). A local name with a colon before any slash needs ./.

            Examples:
              brig session cp main.c $ID:                 (to /work/main.c)
              brig session cp ./src $ID:project/          (to /work/project/src)
              brig session cp $ID:out/report.txt .
              brig session cp $ID:build ./build-copy
            """
    )

    @OptionGroup var options: ClientOptions

    @Argument(help: ArgumentHelp("What to copy: a local path, or ID:PATH.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("Where to: ID:PATH, or a local path.", valueName: "destination"))
    var destination: String

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let from = try SessionCopyEndpoint(parsing: source, as: "SOURCE")
        let to = try SessionCopyEndpoint(parsing: destination, as: "DESTINATION")
        let client = client.waiting(600_000)
        switch (from, to) {
        case (.local(let path), .session(let id, let target, let text)):
            try upload(path, to: id, target, into: text.hasSuffix("/") || target.isRoot, with: client)
        case (.session(let id, let path, _), .local(let target)):
            try download(path, from: id, to: target, with: client)
        case (.local, .local):
            throw .usage("SOURCE and DESTINATION are both local: one of them must be ID:PATH in a session")
        case (.session, .session):
            throw .usage("SOURCE and DESTINATION are both in sessions: copy through a local folder")
        }
        return 0
    }

    private func upload(_ local: String, to id: String, _ path: SessionPath, into: Bool, with client: UnixHTTPClient) throws(ClientError) {
        var status = stat()
        guard stat(local, &status) == 0 else {
            throw .usage("SOURCE \(local.debugDescription): \(String(cString: strerror(errno)))")
        }
        let name = URL(fileURLWithPath: local).standardizedFileURL.lastPathComponent
        let intoFolder = into ? true : try isFolder(path, in: id, with: client)
        let target = intoFolder ? path.appending(name) : path
        let response: HTTPResponse
        if (status.st_mode & S_IFMT) == S_IFDIR {
            let archive = try TarProcess.pack(local, as: target.relative)
            response = try client.sendRaw("PUT", APITarget.archive(of: id), body: archive, contentType: "application/x-tar")
        } else {
            let mode = String(status.st_mode & 0o777, radix: 8)
            let content = try LocalUpload.contents(of: local)
            response = try client.sendRaw(
                "PUT", APITarget.files(in: id, path: target, mode: "0" + mode), body: content, contentType: "application/octet-stream")
        }
        if options.json {
            printJSON(response.body)
        } else {
            StandardStream.error.write("brig: copied \(local) to \(id):\(target)\n")
        }
    }

    private func download(_ path: SessionPath, from id: String, to local: String, with client: UnixHTTPClient) throws(ClientError) {
        let response = try client.sendRaw("GET", APITarget.files(in: id, path: path), accept: "*/*")
        let name = path.name ?? "work"
        var isLocalFolder = false
        let exists = FileManager.default.fileExists(atPath: local, isDirectory: &isLocalFolder)
        let folder = local.hasSuffix("/") && local.count > 1 ? String(local.dropLast()) : local
        let target = exists && isLocalFolder ? folder + "/" + name : local
        var bytes = response.body.count
        if response.isJSON {
            let archive = try client.sendRaw("GET", APITarget.archive(of: id), accept: "application/x-tar")
            bytes = archive.body.count
            try unpack(archive.body, subtree: path, to: target)
        } else {
            guard FileManager.default.createFile(atPath: target, contents: Data(response.body)) else {
                throw .usage("DESTINATION \(target.debugDescription): cannot write it (\(String(cString: strerror(errno))))")
            }
        }
        if options.json {
            printJSON(Array(#"{"destination":\#(Self.quoted(target)),"bytes":\#(bytes)}"#.utf8))
        } else {
            StandardStream.error.write("brig: copied \(id):\(path) to \(target)\n")
        }
    }

    /// Unpacks the whole workspace beside the destination, then moves the wanted folder into place, so a
    /// failed copy leaves nothing half-written at the destination.
    private func unpack(_ archive: [UInt8], subtree path: SessionPath, to target: String) throws(ClientError) {
        if FileManager.default.fileExists(atPath: target) {
            throw .usage("DESTINATION \(target.debugDescription) exists: give a new name, or an existing folder to copy into")
        }
        let parent = URL(fileURLWithPath: target).standardizedFileURL.deletingLastPathComponent().path
        let staging = parent + "/.brig-cp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw .usage("DESTINATION \(target.debugDescription): cannot create a folder in \(parent) (\(error))")
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try TarProcess.unpack(archive, into: staging)
        let unpacked = path.isRoot ? staging : staging + "/" + path.segments.joined(separator: "/")
        do {
            if FileManager.default.fileExists(atPath: unpacked) {
                try FileManager.default.moveItem(atPath: unpacked, toPath: target)
            } else {
                // An empty folder may have no member of its own in the archive.
                try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
            }
        } catch {
            throw .usage("DESTINATION \(target.debugDescription): cannot put the copy there (\(error))")
        }
    }

    /// Whether `path` is a folder in the workspace, from its parent's listing (a file's content is not fetched).
    private func isFolder(_ path: SessionPath, in id: String, with client: UnixHTTPClient) throws(ClientError) -> Bool {
        let parent = SessionPath(segments: Array(path.segments.dropLast()))
        let response = try client.exchange("GET", APITarget.files(in: id, path: parent), accept: "*/*")
        if response.status == 404 { return false }
        guard response.status < 300 else {
            throw ClientError.answer(status: response.status, body: response.body, retryAfter: response.head.header("retry-after"))
        }
        guard response.isJSON,
              let listing = try? ClientJSON.decoder.decode(DaemonFileListing.self, from: Data(response.body)) else { return false }
        return listing.entries.contains { entry in
            entry.type == "directory" && (entry.path == path.relative || entry.path == "/work/" + path.relative)
        }
    }

    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode([text])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
