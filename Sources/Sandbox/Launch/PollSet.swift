#if canImport(Glibc)
import Glibc
#endif

/// poll(2) over a handful of fds; negative fds are skipped (the kernel ignores them).
struct PollSet {
    private var entries: [pollfd] = []

    init() {
        entries.reserveCapacity(8)
    }

    mutating func add(_ fd: Int32, events: Int32) {
        entries.append(pollfd(fd: fd, events: Int16(events), revents: 0))
    }

    mutating func poll(timeoutMilliseconds: Int32) -> Int32 {
        Glibc.poll(&entries, nfds_t(entries.count), timeoutMilliseconds)
    }

    /// Readable, writable, closed or failed: anything that a read or write will now answer without blocking.
    func ready(_ fd: Int32) -> Bool {
        guard fd >= 0 else { return false }
        return entries.contains { $0.fd == fd && $0.revents != 0 }
    }

    func hungUp(_ fd: Int32) -> Bool {
        guard fd >= 0 else { return false }
        return entries.contains { $0.fd == fd && $0.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 }
    }
}
