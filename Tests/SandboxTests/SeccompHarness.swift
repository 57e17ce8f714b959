import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// The kernel tests' harness, built once per test process: the C program compiled with gcc and the default
/// policy's BPF written next to it, in a directory named after this process and removed when it exits.
final class SeccompHarness: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// What one attempt did, as the harness printed it.
    struct Outcome: CustomStringConvertible {
        var notified: SyscallName?
        var returned: (value: Int, errno: Int32, pid: Int32)?
        var exitStatus: Int32?
        var signal: Int32?
        let transcript: String

        var description: String { transcript }
    }

    static let shared = Result { () throws(Failure) -> SeccompHarness in try SeccompHarness() }

    let executable: String
    let program: String

    private static var directory: String { NSTemporaryDirectory() + "brig-seccomp-harness-\(getpid())" }

    private init() throws(Failure) {
        let directory = Self.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(directory): \(error)")
        }
        atexit { try? FileManager.default.removeItem(atPath: SeccompHarness.directory) }
        let source = directory + "/harness.c"
        executable = directory + "/harness"
        program = directory + "/default.bpf"
        let bytes: [UInt8]
        do {
            bytes = try SeccompPolicy.default.compile().bytes
        } catch {
            throw Failure(description: "the default policy does not compile: \(error)")
        }
        guard FileManager.default.createFile(atPath: source, contents: Data(SeccompHarnessSource.text.utf8)),
              FileManager.default.createFile(atPath: program, contents: Data(bytes))
        else {
            throw Failure(description: "cannot write the harness files in \(directory)")
        }
        let build = try Self.run("gcc", ["-O1", "-Wall", "-o", executable, source])
        guard build.status == 0 else {
            throw Failure(description: "gcc failed (wait status \(build.status)):\n\(build.output)")
        }
    }

    /// Runs one named attempt (with `command` for "exec") under the default policy.
    func attempt(_ name: String, command: [String] = []) throws(Failure) -> Outcome {
        let run = try Self.run(executable, [program, name] + command)
        guard run.status == 0 else {
            throw Failure(description: "the harness failed (wait status \(run.status)):\n\(run.output)")
        }
        var outcome = Outcome(transcript: run.output)
        for line in run.output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let kind = words.first else { continue }
            var fields: [String: Int] = [:]
            for word in words.dropFirst() {
                let pair = word.split(separator: "=", maxSplits: 1)
                if pair.count == 2, let value = Int(pair[1]) { fields[String(pair[0])] = value }
            }
            switch kind {
            case "notified":
                if let number = fields["nr"], let arch = fields["arch"] {
                    outcome.notified = SyscallName(number: Int32(number), arch: UInt32(arch))
                }
            case "result":
                if let value = fields["ret"], let error = fields["errno"], let pid = fields["pid"] {
                    outcome.returned = (value, Int32(error), Int32(pid))
                }
            case "exited": outcome.exitStatus = fields["status"].map { Int32($0) }
            case "signaled": outcome.signal = fields["signal"].map { Int32($0) }
            default: break
            }
        }
        return outcome
    }

    /// posix_spawnp with stdout and stderr captured together; returns the wait status and the output.
    private static func run(_ file: String, _ arguments: [String]) throws(Failure) -> (status: Int32, output: String) {
        var pipeFds: [Int32] = [-1, -1]
        guard pipe(&pipeFds) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFds[0])
        posix_spawn_file_actions_addclose(&actions, pipeFds[1])
        let argv = ([file] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, file, &actions, nil, argv, environ)
        close(pipeFds[1])
        defer { close(pipeFds[0]) }
        guard spawned == 0 else { throw Failure(description: "cannot start \(file): errno \(spawned)") }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(pipeFds[0], $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            output.append(contentsOf: chunk[0..<got])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status, String(decoding: output, as: UTF8.self))
    }
}
