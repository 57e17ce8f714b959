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

    mutating func closeAll() {
        for keyPath in [\Channels.pidfd, \.go, \.report, \.listenerSocket, \.seccompListener, \.stdin, \.stdout, \.stderr] {
            Self.close(&self[keyPath: keyPath])
        }
    }

    private static func close(_ fd: inout Int32) {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
