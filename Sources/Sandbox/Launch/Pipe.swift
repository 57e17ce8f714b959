import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// A close-on-exec pipe whose parent end is non-blocking (the child's end stays blocking).
struct Pipe {
    private(set) var read: Int32
    private(set) var write: Int32

    init() throws(SandboxError) {
        var fds: [Int32] = [-1, -1]
        let status = brig_pipe(&fds)
        if status < 0 {
            throw .system(.launchFailed, stage: "pipe", errno: -status, "cannot create a pipe")
        }
        read = fds[0]
        write = fds[1]
    }

    mutating func closeRead() {
        if read >= 0 { close(read) }
        read = -1
    }

    mutating func closeWrite() {
        if write >= 0 { close(write) }
        write = -1
    }

    static func makeNonBlocking(_ fd: Int32) {
        guard fd >= 0 else { return }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
}
