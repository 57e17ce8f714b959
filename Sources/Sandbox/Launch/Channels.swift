import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// The parent's fds for one running sandbox; each is -1 once closed.
struct Channels {
    var pidfd: Int32
    var go: Int32
    var report: Int32
    var listenerSocket: Int32
    var seccompListener: Int32 = -1
    var stdin: Int32
    var stdout: Int32
    var stderr: Int32
    /// The init was reaped: its pid is no longer ours to signal.
    var initReaped = false

    init(launch: brig_launch, stdin: Pipe, stdout: Pipe, stderr: Pipe) {
        pidfd = launch.pidfd
        go = launch.go_fd
        report = launch.report_fd
        listenerSocket = launch.listener_fd
        self.stdin = stdin.write
        self.stdout = stdout.read
        self.stderr = stderr.read
        for fd in [self.stdin, self.stdout, self.stderr, report] { Pipe.makeNonBlocking(fd) }
    }

    var outputClosed: Bool { stdout < 0 && stderr < 0 }

    mutating func closeGo() { Self.close(&go) }
    mutating func closeStdin() { Self.close(&stdin) }
    mutating func closeReport() { Self.close(&report) }
    mutating func closeListenerSocket() { Self.close(&listenerSocket) }
    mutating func closeSeccompListener() { Self.close(&seccompListener) }

    /// Each by name: a list of key paths would be eight objects the runtime builds from mangled names on first
    /// use, ~24 type lookups at the start of every `brig run`.
    mutating func closeAll() {
        Self.close(&pidfd)
        Self.close(&go)
        Self.close(&report)
        Self.close(&listenerSocket)
        Self.close(&seccompListener)
        Self.close(&stdin)
        Self.close(&stdout)
        Self.close(&stderr)
    }

    private static func close(_ fd: inout Int32) {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
