import Foundation
import Synchronization

/// A fresh folder per test, named by pid and a counter (short: Unix socket paths must fit in 108 bytes).
struct TemporaryDirectory: ~Copyable {
    let path: String

    private static let counter = Atomic<Int>(0)

    init() throws {
        let number = Self.counter.add(1, ordering: .relaxed).newValue
        path = "/tmp/brig-srv-\(getpid())-\(number)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
