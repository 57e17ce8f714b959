extension FakeDaemon {
    /// The daemon itself: Python 3 from Debian, standard library only. Arguments: socket path, record path, gate path.
    static let script = #"""
# A fake brig daemon for the client's tests: canned answers on a Unix socket, every request recorded.
import base64, http.server, json, os, socketserver, sys, threading, time

socket_path, record_path, gate_path = sys.argv[1], sys.argv[2], sys.argv[3]
record_lock = threading.Lock()
# Set by DELETE /v1/jobs/job-slow: its event stream then ends with the job cancelled.
slow_cancelled = threading.Event()

def result(status="ok", exit_code=0, stdout="", stderr="", wall=12.5, **extra):
    value = {
        "status": status, "exit_code": exit_code, "signal": None, "timeout_limit": None, "seccomp_syscall": None,
        "error": None, "stdout": stdout, "stdout_encoding": "utf8", "stdout_bytes": len(stdout.encode()),
        "stdout_truncated": False, "stderr": stderr, "stderr_encoding": "utf8",
        "stderr_bytes": len(stderr.encode()), "stderr_truncated": False,
        "time": {"setup_ms": 1.5, "wall_ms": wall, "cpu_user_ms": 4.0, "cpu_sys_ms": 1.0},
        "memory_peak_bytes": 3145728, "oom_killed": False, "pids_peak": 1, "pids_limit_hit": False,
        "cleanup_error": None,
    }
    value.update(extra)
    return value

def job(id, status, language="python", compile=None, result=None, message=None):
    return {"id": id, "status": status, "language": language, "profile": "default", "owner": 0,
            "created_at": "2024-05-01T10:00:00Z", "started_at": "2024-05-01T10:00:00.250Z",
            "finished_at": None if status in ("queued", "running") else "2024-05-01T10:00:01Z",
            "message": message, "compile": compile, "result": result}

# The finished jobs, by id.
JOBS = {
    "job-ok": job("job-ok", "ok", result=result(stdout="hello\nbytes\n", stderr="warn\n")),
    "job-exit3": job("job-exit3", "exit_nonzero", language="bash", result=result("exit_nonzero", 3, stdout="partial\n")),
    "job-compile": job("job-compile", "compile_error", language="c",
                       compile=result("exit_nonzero", 1, stderr="prog.c:1:1: error: expected ';'\n", wall=80.0)),
    "job-late": job("job-late", "ok", language="ruby", result=result(stdout="stored out\n", stderr="stored err\n")),
    "job-timeout": job("job-timeout", "timeout", language="perl",
                       result=result("timeout", None, timeout_limit="wall", wall=2000.0)),
    "job-slow": job("job-slow", "ok", language="javascript", result=result(stdout="tick\n")),
}
# Which job a submission in each language becomes.
BY_LANGUAGE = {"python": "job-ok", "bash": "job-exit3", "c": "job-compile", "ruby": "job-late",
               "perl": "job-timeout", "javascript": "job-slow"}

def sse(kind, data):
    return ("event: %s\ndata: %s\n\n" % (kind, json.dumps(data))).encode()

def events(id):
    final = JOBS[id]
    if id == "job-ok":
        yield sse("state", {"status": "running"})
        yield sse("stdout", {"step": "run", "text": "hello\n"})
        yield sse("stderr", {"step": "run", "text": "warn\n"})
        yield sse("stdout", {"step": "run", "data": base64.b64encode(b"bytes\n").decode()})
    elif id == "job-exit3":
        yield b": a comment line, ignored\n\n"
        yield sse("state", {"status": "running"})
        # One event split across two writes (and so two chunks): the client must join them.
        text = sse("stdout", {"step": "run", "text": "partial\n"})
        yield text[:9]
        yield text[9:]
    elif id == "job-compile":
        yield sse("stderr", {"step": "compile", "text": "prog.c:1:1: error: expected ';'\n"})
    elif id == "job-slow":
        yield sse("state", {"status": "running"})
        yield sse("stdout", {"step": "run", "text": "tick\n"})
        # Hold the end back until the test says so: output must reach the user before the job ends.
        deadline = time.time() + 30
        while not os.path.exists(gate_path) and not slow_cancelled.is_set() and time.time() < deadline:
            time.sleep(0.02)
        if slow_cancelled.is_set():
            final = job(id, "cancelled", language="javascript", message="cancelled by its owner",
                        result=result("cancelled", None, stdout="tick\n"))
    yield sse("end", final)

PAGES = {
    None: {"jobs": [JOBS["job-ok"], JOBS["job-exit3"]], "next": "cursor-2"},
    "cursor-2": {"jobs": [JOBS["job-compile"]], "next": None},
}
LANGUAGES = [
    {"name": "python", "image": "host", "version": "Python 3.11.2", "extensions": [".py"], "compiled": False},
    {"name": "c", "image": "host", "version": None, "extensions": [".c", ".h"], "compiled": True},
]
PROFILES = [
    {"name": "default", "description": "Editor snippets", "concurrency": 2,
     "limits": {"wall_time": "10s", "cpu_time": "5s", "memory": "256MiB", "pids": "64"}, "maxima": {"memory": "1GiB"}},
    {"name": "tiny", "description": "Judge-like runs", "concurrency": 4,
     "limits": {"wall_time": "2s", "memory": "64MiB"}, "maxima": {}},
]

def error(code, message, field=None):
    return {"error": {"code": code, "message": message, "field": field}}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, body):
        entry = {"method": self.command, "path": self.path, "host": self.headers.get("Host"),
                 "content_type": self.headers.get("Content-Type"), "body": body}
        with record_lock, open(record_path, "a") as file:
            file.write(json.dumps(entry) + "\n")

    def send_json(self, status, value, how="length", headers=()):
        body = json.dumps(value, indent=2 if how == "pretty" else None).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, header in headers:
            self.send_header(name, header)
        if how == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 7):
                piece = body[start:start + 7]
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        elif how == "eof":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def do_GET(self):
        self.record(None)
        path, _, query = self.path.partition("?")
        params = dict(pair.split("=", 1) for pair in query.split("&") if "=" in pair)
        parts = path.strip("/").split("/")
        if path == "/v1/languages":
            return self.send_json(200, LANGUAGES, how="pretty")
        if path == "/v1/profiles":
            return self.send_json(200, PROFILES, how="eof")
        if path == "/v1/jobs":
            if params.get("status") == "lost":
                return self.send_json(200, {"jobs": [], "next": None})
            return self.send_json(200, PAGES[params.get("after")])
        if len(parts) == 4 and parts[3] == "events" and parts[2] in JOBS:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for piece in events(parts[2]):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # The client may hang up once it has the "end" event.
            return
        if len(parts) == 3 and parts[2] in JOBS:
            return self.send_json(200, JOBS[parts[2]], how="chunked")
        self.send_json(404, error("not_found", "job %s does not exist (or is not yours)" % parts[-1]))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        self.record(body)
        if self.path != "/v1/jobs":
            return self.send_json(404, error("not_found", "no route"))
        language = body.get("language")
        if language == "cobol":
            return self.send_json(400, error("unknown_language", "no language \"cobol\" (available: c, python)", "language"))
        if language == "busy":
            return self.send_json(429, error("queue_full", "the queue is full"), headers=[("Retry-After", "3")])
        id = BY_LANGUAGE[language]
        self.send_json(202, job(id, "queued", language=language))

    def do_DELETE(self):
        self.record(None)
        id = self.path.strip("/").split("/")[-1]
        if id not in JOBS:
            return self.send_json(404, error("not_found", "job %s does not exist (or is not yours)" % id))
        if id != "job-slow":
            return self.send_json(200, JOBS[id])
        slow_cancelled.set()
        self.send_json(200, job(id, "running", language="javascript"))

class Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

server = Server(socket_path, Handler)
os.chmod(socket_path, 0o660)
server.serve_forever()
"""#
}
