import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// One run of a hook executable: its own process group (so a timeout kills what it started too), default
/// signal dispositions (the daemon ignores SIGPIPE, SIGHUP, SIGTERM, SIGINT, and ignored dispositions survive
/// exec), `input` on stdin, stdout and stderr into the daemon's stderr (the journal under systemd), and a
/// small fixed environment rather than the daemon's.
enum HookProcess {
    /// Spawns tried while the executable is busy (10 ms apart): half a second.
    static let busyRetries = 50

    static func run(executable: String, input: [UInt8], environment: [String: String], timeout: Duration) -> HookOutcome {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            return .failedToStart("pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // Swift's Glibc module has no pipe2; sandboxes cannot inherit these anyway (their launcher closes every
        // descriptor above 2), and the hook gets the read end through dup2, which clears close-on-exec.
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGHUP, SIGTERM, SIGINT, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments = [executable]
        let environmentLines = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        var spawned: Int32 = 0
        // ETXTBSY: the file is open for writing somewhere — a hook being replaced as the event fires, or a
        // descriptor a concurrent fork copied for the moment before its child closes it. It passes: retry.
        for attempt in 0..<Self.busyRetries {
            if attempt > 0 { usleep(10_000) }
            spawned = withCStrings(arguments) { argv in
                withCStrings(environmentLines) { envp in
                    posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                }
            }
            if spawned != ETXTBSY { break }
        }
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            return .failedToStart("\(executable): \(String(cString: strerror(spawned)))")
        }
        let deadline = ContinuousClock.now + timeout
        feed(input, to: writeEnd, until: deadline)
        close(writeEnd)
        return wait(for: pid, until: deadline)
    }

    /// Writes what the hook reads; a hook that does not read (or exits first) just misses it.
    private static func feed(_ input: [UInt8], to descriptor: Int32, until deadline: ContinuousClock.Instant) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var offset = 0
        while offset < input.count {
            let written = input[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EINTR else { return }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return }
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, Int32(min(left.milliseconds, 1000)))
        }
    }

    private static func wait(for pid: pid_t, until deadline: ContinuousClock.Instant) -> HookOutcome {
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { return outcome(status) }
            if waited < 0 && errno != EINTR { return .failedToStart("waitpid: \(String(cString: strerror(errno)))") }
            if ContinuousClock.now >= deadline { break }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return .killedAfterTimeout
    }

    private static func outcome(_ status: Int32) -> HookOutcome {
        switch WaitStatus(status) {
        case .exited(let code): .exited(code)
        case .signaled(let signal): .signaled(signal)
        }
    }

    /// `strings` as a NULL-terminated `char *const []` for posix_spawn; `body`'s status, or EINVAL.
    private static func withCStrings(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32
    ) -> Int32 {
        var pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return EINVAL }
            return body(UnsafePointer(base))
        }
    }
}
