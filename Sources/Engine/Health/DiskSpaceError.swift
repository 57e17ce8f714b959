import API
/// Why the free space of the state directory is unknown (it is then treated as none: not ready).
struct DiskSpaceError: Error, Sendable, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot read the free space of \(path): \(reason)" }
}
