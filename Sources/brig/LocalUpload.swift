import API
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Local files read for an upload in a request body: UTF-8 text as is, anything else as base64.
enum LocalUpload {
    /// Each path by its last component; a folder with everything under it (regular files; symlinks and
    /// special files are skipped, as their meaning would not survive the trip).
    static func files(_ paths: [String]) throws(ClientError) -> [JobFile] {
        try entries(paths).map(\.file)
    }

    /// A file to upload, with the local permission bits a request body's files cannot carry.
    struct Entry {
        let file: JobFile
        let local: String
        let mode: mode_t

        var isExecutable: Bool { mode & 0o111 != 0 }
    }

    static func entries(_ paths: [String]) throws(ClientError) -> [Entry] {
        var files: [Entry] = []
        for path in paths {
            let name = URL(fileURLWithPath: path).lastPathComponent
            var isFolder = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw .usage("FILE \(path.debugDescription): no such file or folder")
            }
            guard isFolder else {
                files.append(try entry(at: path, as: name))
                continue
            }
            let relatives: [String]
            do {
                relatives = try FileManager.default.subpathsOfDirectory(atPath: path)
            } catch {
                throw .usage("FILE \(path.debugDescription): cannot read the folder")
            }
            for relative in relatives {
                let full = path + "/" + relative
                var status = stat()
                guard lstat(full, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                files.append(try entry(at: full, as: name + "/" + relative))
            }
        }
        return files
    }

    private static func entry(at path: String, as remote: String) throws(ClientError) -> Entry {
        var status = stat()
        let mode = stat(path, &status) == 0 ? status.st_mode & 0o777 : 0o644
        return Entry(file: try file(at: path, as: remote), local: path, mode: mode)
    }

    static func file(at path: String, as remote: String) throws(ClientError) -> JobFile {
        let bytes = try contents(of: path)
        if let text = String(validating: bytes, as: UTF8.self) {
            return JobFile(path: remote, content: text)
        }
        return JobFile(path: remote, content: Data(bytes).base64EncodedString(), encoding: "base64")
    }

    static func contents(of path: String) throws(ClientError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("\(path.debugDescription): cannot read it (\(String(cString: strerror(errno))))")
        }
        return Array(data)
    }
}
