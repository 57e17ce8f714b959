import API
import DaemonClient
import Engine
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `brig serve` (this same executable's `serve`) on a socket, state and runtime directory of the benchmark's own,
/// stopped by its pid. Its log goes to `daemon.log` in the state directory.
final class BenchDaemon: Sendable {
    let pid: pid_t
    let socket: String
    let client: UnixHTTPClient
    private let stopped = Atomic<Bool>(false)

    static let setpriv = "/usr/bin/setpriv"

    /// Starts the daemon and waits until it answers on its socket.
    init(executable: String, directory: String, stateDirectory: String, runtimeDirectory: String, catalogArguments: [String]) throws {
        socket = directory + "/brig.sock"
        client = UnixHTTPClient(socketPath: socket)
        let log = stateDirectory + "/daemon.log"
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        // setpriv execs the daemon with a parent-death signal, so an interrupted benchmark does not leave it
        // running; without setpriv only the normal end and errors stop it.
        let deathSignal = FileManager.default.isExecutableFile(atPath: Self.setpriv)
            ? [Self.setpriv, "--pdeathsig", "TERM", "--"] : []
        let program = BenchProgram(
            deathSignal + [executable, "serve", "--socket", socket, "--state-dir", stateDirectory, "--runtime-dir", runtimeDirectory]
                + catalogArguments,
            environment: BenchProgram.inheritedEnvironment, outputPath: log)
        pid = try program.spawn()
        do {
            try waitUntilServing(log: log)
        } catch {
            stop()
            throw error
        }
    }

    deinit {
        stop()
    }

    private func waitUntilServing(log: String) throws {
        let deadline = Stopwatch.now() + 60_000
        while Stopwatch.now() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped.store(true, ordering: .relaxed)
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw BenchFailure("start brig serve", "it ended (wait status \(status)): \(text.suffix(600))")
            }
            if (try? client.send("GET", "/v1/profiles")) != nil { return }
            usleep(20_000)
        }
        throw BenchFailure("start brig serve", "no answer on \(socket) within 60 s (its log: \(log))")
    }

    /// A synchronous job's request body (`"wait": true`).
    static func job(_ language: String, _ source: String) -> [UInt8] {
        Array(#"{"language": "\#(language)", "source": "\#(source)", "wait": true}"#.utf8)
    }

    /// Submits a synchronous job and waits for its answer; throws unless the job ended `ok`.
    func runJob(_ body: [UInt8]) throws {
        let (job, _) = try client.send("POST", "/v1/jobs", json: body, expecting: JobView.self)
        guard job.status == .ok else {
            throw BenchFailure("job \(job.id)", "ended \(job.status.rawValue), not ok: \(job.message ?? "")")
        }
    }

    /// The daemon's resident memory (VmRSS), in KiB.
    func residentKilobytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ")[1])
    }

    /// SIGTERM (it drains: nothing is running by now), then SIGKILL after 10 s; reaps it either way.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        kill(pid, SIGTERM)
        let deadline = Stopwatch.now() + 10_000
        var status: Int32 = 0
        while Stopwatch.now() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        BenchProgram.wait(for: pid)
    }
}
