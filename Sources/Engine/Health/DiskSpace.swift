#if canImport(Glibc)
import API
import Glibc
#endif

/// Free space of the filesystem holding a path, as an unprivileged writer sees it (root's reserve excluded:
/// brig runs as root, but the reserve is the system's, not the store's).
enum DiskSpace {
    /// Bytes available, or nil with the reason when the filesystem cannot be asked.
    static func available(at path: String) -> Result<Int64, DiskSpaceError> {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else {
            return .failure(DiskSpaceError(path: path, reason: String(cString: strerror(errno))))
        }
        return .success(Int64(clamping: UInt64(stats.f_bavail) &* UInt64(stats.f_frsize)))
    }
}
