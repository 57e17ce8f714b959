import Foundation

/// A temporary directory of plain directories and files standing in for a cgroup hierarchy.
/// `remove` deletes it; call it from `defer`.
struct FakeCgroupTree {
    let root: String

    init(directories: [String] = []) throws {
        root = FileManager.default.temporaryDirectory.path + "/" + UniqueName.make("brig-fake-cgroup")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for directory in directories {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func contents(_ relative: String) -> String? {
        try? String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    func write(_ text: String, to relative: String) throws {
        try text.write(toFile: path(relative), atomically: false, encoding: .utf8)
    }

    /// Deletes the files a driver wrote into `relative`: on cgroupfs they vanish with the directory, but
    /// rmdir of a plain directory needs it empty.
    func emptyDirectory(_ relative: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: path(relative)) {
            try FileManager.default.removeItem(atPath: path(relative + "/" + name))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
