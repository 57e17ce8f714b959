import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for `brig serve` in `brig runbook`'s tests: a Python script answering the admin routes as a
/// daemon in one state would, on a temporary Unix socket. States: healthy, degraded (a breaker open, a
/// self-test failing), critical (emergency stop, disk), forbidden (actions refused 403), hung (accepts, never
/// answers). Every request is recorded as "METHOD /path".
final class FakeAdminDaemon {
    let directory: String
    let socketPath: String
    private let recordPath: String
    private let process = Process()

    private static let counter = Atomic<Int>(0)

    init(state: String) throws {
        let serial = Self.counter.add(1, ordering: .relaxed).newValue
        directory = NSTemporaryDirectory() + "brig-runbook-\(getpid())-\(serial)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socketPath = directory + "/brig.sock"
        recordPath = directory + "/requests"
        let scriptPath = directory + "/fake_admin_daemon.py"
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [scriptPath, socketPath, state, recordPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            var status = stat()
            if stat(socketPath, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        stop()
        throw FakeDaemon.StartFailure(reason: "the fake admin daemon did not create \(socketPath)")
    }

    /// Kills the daemon by its pid and removes its folder.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var requestLines: [String] {
        ((try? String(contentsOfFile: recordPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static let script = #"""
import http.server, json, os, socketserver, sys, threading, time

socket_path, state, record_path = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
AT = "2026-01-02T03:04:05.678Z"

def report(status):
    degraded, critical = status == "degraded", status == "critical"
    reasons = ["emergency stop", "disk: 80 MiB free in /var/lib/brig, below 512 MiB"] if critical else []
    return {
        "status": status, "version": "0.1.0", "readiness": {"ready": not critical, "reasons": reasons},
        "draining": False, "emergency_stopped": critical, "cgroup_version": "v1",
        "cgroup_controllers": {"memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids"},
        "slots": {"total": 4, "busy": 1, "free": 3},
        "queue": {"depth": 2, "capacity": 1000, "oldest_age_seconds": 3.5},
        "breakers": [
            {"language": "python", "state": "closed", "consecutive_failures": 0},
            {"language": "c", "state": "open" if degraded else "closed", "consecutive_failures": 5 if degraded else 0,
             "reason": "self-test: gcc exited 1" if degraded else None, "changed_at": AT},
        ],
        "self_tests": [
            {"language": "python", "passed": True, "at": AT, "duration_ms": 110},
            {"language": "c", "passed": not degraded, "at": AT, "duration_ms": 420,
             "message": "exit 1, expected output \"hello\"" if degraded else None},
        ],
        "store": {"path": "/var/lib/brig/brig.sqlite", "bytes": 25165824, "integrity": "ok"},
        "disk": {"path": "/var/lib/brig", "free_bytes": 83886080 if critical else 12884901888, "threshold_bytes": 536870912},
        "recent_errors": {"window_seconds": 300, "finished": 120, "internal_errors": 3 if degraded else 0},
        "sessions": 0,
    }

ACTIONS = {
    "/v1/admin/drain": {"action": "drain", "message": "draining: new jobs get 503; 1 running and 2 queued go on"},
    "/v1/admin/resume": {"action": "resume", "message": "taking work again"},
    "/v1/admin/emergency-stop": {"action": "emergency_stop", "message": "every running sandbox killed; no work until resume", "killed": 3},
    "/v1/admin/reap": {"removed": ["cgroup /sys/fs/cgroup/memory/brig/run-12-3", "process 4242"]},
    "/v1/admin/selftest": {"results": [
        {"language": "python", "passed": True, "at": AT, "duration_ms": 110},
        {"language": "c", "passed": state != "degraded", "at": AT, "duration_ms": 420,
         "message": "exit 1, expected output \"hello\"" if state == "degraded" else None},
    ]},
}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        with lock:
            with open(record_path, "a") as f:
                f.write("%s %s\n" % (self.command, self.path))

    def send_json(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.record()
        if state == "hung":
            time.sleep(60)
            return
        if self.path == "/v1/admin/health":
            return self.send_json(200, report(state if state in ("healthy", "degraded", "critical") else "healthy"))
        self.send_json(404, {"error": {"code": "not_found", "message": "no route", "field": None}})

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.record()
        if state == "hung":
            time.sleep(60)
            return
        if state == "forbidden":
            return self.send_json(403, {"error": {"code": "forbidden", "message": "only operators may drain (root, or a configured operator uid or group)", "field": None}})
        if self.path in ACTIONS:
            return self.send_json(200, ACTIONS[self.path])
        self.send_json(404, {"error": {"code": "not_found", "message": "no route", "field": None}})

class Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

server = Server(socket_path, Handler)
os.chmod(socket_path, 0o660)
server.serve_forever()
"""#
}
