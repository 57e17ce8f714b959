import Foundation
import Synchronization

/// A fresh folder per test, named by pid and a counter so concurrent tests and runs never share one.
struct TemporaryDirectory: ~Copyable {
    let path: String

    private static let counter = Atomic<Int>(0)

    init() throws {
        let number = Self.counter.add(1, ordering: .relaxed).newValue
        path = NSTemporaryDirectory() + "brig-catalog-tests-\(getpid())-\(number)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` at `relativePath`, creating folders on the way; returns the full path.
    @discardableResult
    func write(_ text: String, to relativePath: String) throws -> String {
        let full = "\(path)/\(relativePath)"
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
