import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Reading operators' files and folders, with failures as `CatalogError`s naming the path.
enum OperatorFile {
    static func read(_ path: String) throws(CatalogError) -> String {
        // read(2), not FileManager: making `FileManager.default` alone cost `brig run` ~0.1 ms.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CatalogError(file: path, key: nil, reason: exists(path) ? "cannot be read" : "does not exist")
        }
        defer { close(fd) }
        guard let bytes = try? FileContents.readAll(fd) else {
            throw CatalogError(file: path, key: nil, reason: "cannot be read")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CatalogError(file: path, key: nil, reason: "is not UTF-8 text")
        }
        return text
    }

    /// Names in `directory`, sorted, without hidden ones (editor swap files, ".git").
    static func entries(of directory: String) throws(CatalogError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw CatalogError(
                file: directory, key: nil,
                reason: exists(directory) ? "cannot list this folder" : "folder does not exist")
        }
    }

    /// Whether something is at `path` without following a final symlink.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }
}
