#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A process spawned for a test and held at a gate: its command reads one line from stdin first, so the
/// test can put it into a cgroup before it forks or allocates anything. Its output goes to /dev/null.
/// `terminate` kills and reaps it.
final class GatedProcess {
    let pid: pid_t
    private var gate: Int32
    private var status: Int32?

    init(_ arguments: [String]) throws {
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        // Glibc's module lacks pipe2; other tests' spawns in the moment between could inherit the ends,
        // which is harmless: the gate is opened by writing, not by closing.
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        // Not the test runner's output: a process outliving a failed test would hold it open.
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        close(pipeEnds[0])
        if result != 0 { close(pipeEnds[1]) }
        try #require(result == 0, "posix_spawn \(arguments[0]): \(String(cString: strerror(result)))")
        self.pid = pid
        self.gate = pipeEnds[1]
    }

    /// Lets the command run.
    func open() {
        guard gate >= 0 else { return }
        _ = write(gate, "\n", 1)
        close(gate)
        gate = -1
    }

    /// The wait status once it has exited, waiting at most `timeout`; nil if it is still running.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(5)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while status == nil {
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                status = raw
            } else if reaped < 0 || ContinuousClock.now >= deadline {
                break
            } else {
                usleep(2_000)
            }
        }
        return status
    }

    /// The signal that ended it, if a signal did.
    var terminatingSignal: Int32? {
        guard let status, status & 0x7f != 0, status & 0x7f != 0x7f else { return nil }
        return status & 0x7f
    }

    /// Kills and reaps it unless it already exited; always safe to call.
    func terminate() {
        if gate >= 0 { close(gate); gate = -1 }
        guard status == nil else { return }
        kill(pid, SIGKILL)
        waitForExit()
    }

    deinit { terminate() }
}
