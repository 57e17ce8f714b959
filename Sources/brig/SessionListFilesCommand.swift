import API
import ArgumentParser
import BrigCommandLine
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig session ls ID [PATH]`: a folder of a session's workspace, with sizes and modes.
struct SessionListFilesCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List a folder of a session's workspace (default /work) with sizes and modes.",
        discussion: """
            Symlinks are shown with their text (the daemon never follows them). --json prints the listing as \
            the daemon sends it.

            Examples:
              brig session ls $ID
              brig session ls $ID src --recursive
              brig session ls $ID /work/build --json
            """
    )

    @OptionGroup var options: ClientOptions

    @OptionGroup var session: SessionIDArgument

    @Argument(help: ArgumentHelp("The folder (or file), relative to /work.", valueName: "path"))
    var path: String = ""

    @Flag(name: [.short, .long], help: "List everything under the folder.")
    var recursive = false

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let folder: SessionPath
        do {
            folder = try SessionPath(parsing: path)
        } catch {
            throw .usage("PATH \(path.debugDescription): \(error.reason)")
        }
        // The daemon lists recursively from /work only: a folder's tree is the part of that listing under it.
        let subtree = recursive && !folder.isRoot
        var response = try client.sendRaw(
            "GET", APITarget.files(in: session.id, path: subtree ? .root : folder, recursive: recursive), accept: "*/*")
        var only: String?
        if !response.isJSON {
            // A file: its entry comes from its folder's listing.
            only = folder.relative
            let parent = SessionPath(segments: Array(folder.segments.dropLast()))
            response = try client.sendRaw("GET", APITarget.files(in: session.id, path: parent), accept: "application/json")
        }
        let listing = try ClientJSON.decode(DaemonFileListing.self, from: response.body, what: "the listing of \(folder)")
        let entries = listing.entries.filter { entry in
            if let only { return entry.path == only }
            return !subtree || entry.path.hasPrefix(folder.relative + "/")
        }
        if options.json {
            printJSON(subtree ? Self.listingJSON(response.body, under: folder) : response.body)
            return 0
        }
        var table = TextTable("MODE", "SIZE", "MODIFIED", "PATH")
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            let name = entry.type == "directory" ? entry.path + "/" : entry.path
            table.append([
                Self.permissions(entry), entry.size.map(String.init) ?? "-",
                entry.modifiedAt.map(Self.timestamp) ?? "-",
                name + (entry.target.map { " -> \($0)" } ?? ""),
            ])
        }
        if table.rows.isEmpty {
            StandardStream.error.write("brig: \(folder) is empty\n")
        } else {
            StandardStream.output.write(table.text)
        }
        return 0
    }

    /// The daemon's recursive listing of /work cut to the entries under `folder`, as one JSON object.
    static func listingJSON(_ body: [UInt8], under folder: SessionPath) -> [UInt8] {
        guard var listing = try? APIJSON.decoder().decode(FileListing.self, from: Data(body)) else { return body }
        listing.path = folder.relative
        listing.entries = listing.entries.filter { $0.path.hasPrefix(folder.relative + "/") }
        return (try? APIJSON.encoder().encode(listing)).map(Array.init) ?? body
    }

    /// "drwxr-xr-x" from the entry's type and octal mode.
    static func permissions(_ entry: DaemonFileEntry) -> String {
        let kind = entry.type == "directory" ? "d" : entry.type == "symlink" ? "l" : "-"
        guard let text = entry.mode, let bits = Int(text, radix: 8) else { return kind + "?????????" }
        let letters = Array("rwxrwxrwx")
        return kind + String((0..<9).map { bits & (0o400 >> $0) != 0 ? letters[$0] : "-" })
    }

    /// "2024-05-01 10:00" in local time, as ls shows it.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var local = tm()
        var text = [CChar](repeating: 0, count: 32)
        guard localtime_r(&seconds, &local) != nil, strftime(&text, text.count, "%Y-%m-%d %H:%M", &local) > 0 else {
            return "?"
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
