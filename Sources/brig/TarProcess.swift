import DaemonClient
import Catalog
import FoundationEssentials
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// Folders packed and unpacked with the system's GNU tar, for the session archive endpoints. GNU tar's own
/// defaults guard extraction: it drops leading "/" and members with "..", and creates symlinks only after the
/// files, so a symlink in an archive cannot redirect a later member outside the destination.
enum TarProcess {
    /// A ustar archive of everything under `folder`, its members named `prefix/...` (the folder itself `prefix/`).
    static func pack(_ folder: String, as prefix: String) throws(ClientError) -> [UInt8] {
        // The replacement text of --transform's s|||: \, & and the delimiter would mean something else.
        var replacement = ""
        for character in prefix {
            if character == "\\" || character == "&" || character == "|" { replacement.append("\\") }
            replacement.append(character)
        }
        let arguments = [
            "--format=ustar", "--owner=0", "--group=0", "--numeric-owner", "-c", "-f", "-", "-C", folder,
            // S: leave symlink targets as they are; only member names move under the prefix.
            "--transform", "s|^\\./|\(replacement)/|S", ".",
        ]
        return try run(arguments, input: nil, what: "packing \(folder)")
    }

    /// Unpacks `archive` into `folder` (which exists), without taking the members' owners.
    static func unpack(_ archive: [UInt8], into folder: String) throws(ClientError) {
        _ = try run(["-x", "-f", "-", "-C", folder, "--no-same-owner"], input: archive, what: "unpacking the archive into \(folder)")
    }

    private static var executable: String {
        access("/usr/bin/tar", X_OK) == 0 ? "/usr/bin/tar" : "/bin/tar"
    }

    /// tar with `arguments`: `input` on its stdin (or /dev/null), its stdout returned when there is no input
    /// (else /dev/null), its warnings kept in an unlinked temporary file nobody has to drain while the archive
    /// flows through the pipe, and a fixed environment (C locale: its messages are quoted in brig's).
    private static func run(_ arguments: [String], input: [UInt8]?, what: String) throws(ClientError) -> [UInt8] {
        func cannotRun(_ code: Int32) -> ClientError {
            ClientError("\(what): cannot run \(executable) (\(String(cString: strerror(code))))", exitCode: .unavailable)
        }
        var template = Array("/tmp/brig-tar-XXXXXX".utf8CString)
        let errors = mkstemp(&template)
        guard errors >= 0 else { throw cannotRun(errno) }
        unlink(template)
        defer { close(errors) }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw cannotRun(errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        }
        posix_spawn_file_actions_adddup2(&actions, errors, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = (["PATH=/usr/bin:/bin", "LC_ALL=C"] as [String]).map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        var produced: [UInt8] = []
        if let input {
            close(readEnd)
            if spawned == 0 {
                // A tar that stops reading (a bad archive) ends the copy with EPIPE, not brig with SIGPIPE.
                let oldPipe = signal(SIGPIPE, SIG_IGN)
                var offset = 0
                while offset < input.count {
                    let written = input[offset...].withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { break }
                    offset += written
                }
                signal(SIGPIPE, oldPipe)
            }
            close(writeEnd)
        } else {
            close(writeEnd)
            if spawned == 0 { produced = (try? FileContents.readAll(readEnd)) ?? [] }
            close(readEnd)
        }
        guard spawned == 0 else { throw cannotRun(spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = switch WaitStatus(status) {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        guard exitCode == 0 else {
            lseek(errors, 0, SEEK_SET)
            let message = String(decoding: (try? FileContents.readAll(errors)) ?? [], as: UTF8.self)
            throw ClientError(
                "\(what): tar failed (exit \(exitCode)): \(message.trimmingWhitespace)", exitCode: .usage)
        }
        return produced
    }
}
