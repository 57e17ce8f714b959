#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Names that cannot collide with other tests running at the same time, here or in other processes.
enum UniqueName {
    private static let counter = Atomic<Int>(0)

    /// "<prefix>-<pid>-<counter>".
    static func make(_ prefix: String) -> String {
        let next = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(prefix)-\(getpid())-\(next)"
    }
}
