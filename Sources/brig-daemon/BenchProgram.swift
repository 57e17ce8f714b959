import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started with posix_spawn, its argv and environment converted to C strings once, so that running it
/// again and again measures the spawn and the program, not the conversion. stdin is /dev/null; stdout and stderr
/// go to `outputPath` (appended), /dev/null by default.
final class BenchProgram: @unchecked Sendable {
    let arguments: [String]
    private let argv: [UnsafeMutablePointer<CChar>?]
    private let envp: [UnsafeMutablePointer<CChar>?]
    private var actions = posix_spawn_file_actions_t()
    private var attributes = posix_spawnattr_t()

    init(_ arguments: [String], environment: [String] = ["PATH=/usr/bin:/bin"], outputPath: String = "/dev/null") {
        self.arguments = arguments
        argv = arguments.map { strdup($0) } + [nil]
        envp = environment.map { strdup($0) } + [nil]
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The caller may be a thread of Swift's pool, which blocks most signals, and brig ignores SIGPIPE: a
        // program relying on SIGCHLD (nsjail) would then wait forever. It starts with no signal blocked.
        posix_spawnattr_init(&attributes)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    /// This process's environment, for brig's own commands (BRIG_CATALOG and the like apply to them too).
    static var inheritedEnvironment: [String] {
        ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
        for pointer in argv + envp { free(pointer) }
    }

    /// Starts the program and returns its pid; the caller waits for it.
    func spawn() throws(BenchFailure) -> pid_t {
        guard let path = argv[0] else { throw BenchFailure("posix_spawn", "no program given") }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard code == 0 else {
            throw BenchFailure("posix_spawn \(arguments[0])", String(cString: strerror(code)))
        }
        return pid
    }

    /// Runs the program to its end; throws unless it exits with status 0.
    func run() throws(BenchFailure) {
        let pid = try spawn()
        let status = Self.wait(for: pid)
        guard status == 0 else {
            throw BenchFailure(arguments.joined(separator: " "), "ended with wait status \(status), not exit 0")
        }
    }

    /// Waits for `pid` to end and returns its raw wait status.
    @discardableResult
    static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}
