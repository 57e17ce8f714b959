extension FakeDaemon {
    /// The fake daemon's whole script: the job routes (FakeDaemon+Script.swift) behind a handler that adds the
    /// session routes of the session contract and `wait: true` job submissions.
    static var scriptWithSessions: String {
        script.replacingOccurrences(
            of: "server = Server(socket_path, Handler)", with: sessionScript + "\nserver = Server(socket_path, SessionHandler)")
    }

    /// Sessions in memory. A step's outcome comes from its command: `echo WORDS` prints them, `cat` prints its
    /// stdin, `env` prints its environment and cwd, `false` exits 1, `sleep` times out, `ls` lists the
    /// workspace, a shell string prints "sh: STRING"; background steps stay running. A session is created with
    /// profile "nope" refused (400, field profile); the session "s_0000000000000000000000ed" has ended.
    static let sessionScript = #"""
import io, itertools, tarfile, urllib.parse

session_counter = itertools.count(1)
step_counter = itertools.count(1)
state_lock = threading.Lock()
SESSIONS = {}    # id -> SessionView
WORKSPACES = {}  # id -> {relative path: [bytes, mode]}
STEPS = {}       # id -> [StepView]

def session_view(id, image="host", profile="default"):
    return {
        "id": id, "state": "active", "image": image, "profile": profile, "owner": 0,
        "created_at": "2024-05-01T10:00:00.000Z", "last_used_at": "2024-05-01T10:00:00.000Z",
        "expires_at": "2099-05-01T11:00:00.000Z", "idle_expires_at": "2099-05-01T10:10:00.000Z",
        "ended_at": None, "end_reason": None,
        "usage": {"steps": 0, "cpu_time_ms": 0, "workspace_bytes": 0},
        "caps": {"max_steps": 1000, "cpu_time": "10m", "workspace": "256MiB"}, "running": [],
    }

def new_session(image, profile):
    id = "s_%024x" % next(session_counter)
    SESSIONS[id] = session_view(id, image, profile)
    WORKSPACES[id] = {}
    STEPS[id] = []
    return id

ended = "s_0000000000000000000000ed"
SESSIONS[ended] = dict(session_view(ended), state="ended", ended_at="2024-05-01T10:05:00.000Z", end_reason="deleted")
WORKSPACES[ended] = {}
STEPS[ended] = []

def valid_path(path):
    return path and not path.startswith("/") and "\0" not in path and ".." not in path.split("/")

def entry(path, data=None, mode=0o644, kind="file"):
    return {"path": path, "type": kind, "size": len(data) if data is not None else 4096,
            "mode": "%04o" % mode, "modified_at": "2024-05-01T10:00:00.000Z"}

def listing(id, folder, recursive):
    files = WORKSPACES[id]
    prefix = folder + "/" if folder else ""
    entries, folders = [], set()
    for path, (data, mode) in sorted(files.items()):
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix):].split("/")
        for depth in range(1, len(rest)):
            sub = prefix + "/".join(rest[:depth])
            if (recursive or depth == 1) and sub not in folders:
                folders.add(sub)
                entries.append(entry(sub, kind="directory", mode=0o755))
        if recursive or len(rest) == 1:
            entries.append(entry(path, data, mode))
    return entries

def step_result(argv, stdin, env, cwd):
    if isinstance(argv, str):
        return "ok", result(stdout="sh: %s\n" % argv)
    name = argv[0]
    if name == "echo":
        return "ok", result(stdout=" ".join(argv[1:]) + "\n")
    if name == "cat":
        return "ok", result(stdout=stdin or "")
    if name == "env":
        lines = ["%s=%s" % pair for pair in sorted((env or {}).items())] + ["cwd=%s" % (cwd or "/work")]
        return "ok", result(stdout="\n".join(lines) + "\n")
    if name == "false":
        return "exit_nonzero", result("exit_nonzero", 1, stderr="failed\n")
    if name == "sleep":
        return "timeout", result("timeout", None, timeout_limit="wall", wall=2000.0)
    return "ok", result(stdout="ran %s\n" % name)

class SessionHandler(Handler):
    def read_body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length)

    def record_raw(self, raw):
        try:
            self.record(json.loads(raw))
        except ValueError:
            self.record({"bytes": len(raw)})

    def route(self):
        path, _, query = self.path.partition("?")
        params = dict(urllib.parse.parse_qsl(query))
        parts = [urllib.parse.unquote(part) for part in path.strip("/").split("/")]
        return path, params, parts

    def session_or_404(self, id):
        if id not in SESSIONS:
            self.send_json(404, error("not_found", "session %s does not exist (or is not yours)" % id))
            return None
        return SESSIONS[id]

    def send_bytes(self, status, data, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        path, params, parts = self.route()
        if path == "/v1/jobs":
            raw = self.read_body()
            body = json.loads(raw)
            if body.get("wait") is True and body.get("language") in BY_LANGUAGE:
                self.record(body)
                return self.send_json(200, JOBS[BY_LANGUAGE[body["language"]]])
            # The job routes read the body themselves.
            self.rfile = io.BytesIO(raw)
            return Handler.do_POST(self)
        raw = self.read_body()
        self.record_raw(raw)
        body = json.loads(raw or b"{}")
        with state_lock:
            if path == "/v1/sessions":
                if body.get("profile") == "nope":
                    return self.send_json(400, error("unknown_profile", "no profile \"nope\" (available: default, tiny)", "profile"))
                id = new_session(body.get("image") or "host", body.get("profile") or "default")
                for file in body.get("files") or []:
                    content = file["content"]
                    data = base64.b64decode(content) if file.get("encoding") == "base64" else content.encode()
                    WORKSPACES[id][file["path"]] = [data, 0o644]
                return self.send_json(201, SESSIONS[id])
            if len(parts) == 4 and parts[3] == "exec":
                session = self.session_or_404(parts[2])
                if session is None:
                    return
                if session["state"] != "active":
                    return self.send_json(409, error("session_ended", "session %s has ended (deleted)" % parts[2]))
                cmd = body["cmd"]
                index = len(STEPS[parts[2]]) + 1
                step = {"id": "st_%024x" % next(step_counter), "session": parts[2], "index": index,
                        "cmd": cmd if isinstance(cmd, list) else ["/bin/sh", "-c", cmd],
                        "background": bool(body.get("background")), "created_at": "2024-05-01T10:00:01.000Z",
                        "started_at": "2024-05-01T10:00:01.000Z", "finished_at": None, "message": None, "result": None}
                if cmd == ["ls"] or cmd == "ls":
                    step["status"], step["result"] = "ok", result(stdout="\n".join(sorted(WORKSPACES[parts[2]])) + "\n")
                elif step["background"]:
                    step["status"] = "running"
                else:
                    step["status"], step["result"] = step_result(cmd, body.get("stdin"), body.get("env"), body.get("cwd"))
                    step["finished_at"] = "2024-05-01T10:00:02.000Z"
                STEPS[parts[2]].append(step)
                session["usage"]["steps"] = index
                return self.send_json(202 if step["status"] == "running" else 200, step)
        self.send_json(404, error("not_found", "no route"))

    def do_GET(self):
        path, params, parts = self.route()
        if not path.startswith("/v1/sessions"):
            return Handler.do_GET(self)
        self.record(None)
        with state_lock:
            if path == "/v1/sessions":
                views = [SESSIONS[id] for id in sorted(SESSIONS, reverse=True)
                         if params.get("state") in (None, SESSIONS[id]["state"])]
                return self.send_json(200, {"sessions": views, "next": None})
            session = self.session_or_404(parts[2])
            if session is None:
                return
            id = parts[2]
            if len(parts) == 3:
                return self.send_json(200, session)
            if parts[3] == "steps" and len(parts) == 5:
                for step in STEPS[id]:
                    if step["id"] == parts[4]:
                        return self.send_json(200, step)
                return self.send_json(404, error("not_found", "step %s does not exist" % parts[4]))
            if parts[3] == "archive":
                buffer = io.BytesIO()
                with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
                    for name, (data, mode) in sorted(WORKSPACES[id].items()):
                        info = tarfile.TarInfo(name)
                        info.size, info.mode = len(data), mode
                        archive.addfile(info, io.BytesIO(data))
                return self.send_bytes(200, buffer.getvalue(), "application/x-tar")
            if parts[3] == "files":
                relative = "/".join(parts[4:])
                if relative and "recursive" in params:
                    # As the real daemon: recursive listings start at /work.
                    return self.send_json(400, error("invalid_request", "unknown query parameter \"recursive\"", "recursive"))
                if relative and not valid_path(relative):
                    return self.send_json(400, error("invalid_path", "path %r leaves the workspace" % relative, "path"))
                if relative in WORKSPACES[id]:
                    return self.send_bytes(200, WORKSPACES[id][relative][0], "application/octet-stream")
                entries = listing(id, relative, params.get("recursive") == "true")
                if relative and not entries:
                    return self.send_json(404, error("not_found", "no file %s in the workspace" % relative, "path"))
                return self.send_json(200, {"path": relative or ".", "entries": entries})
        self.send_json(404, error("not_found", "no route"))

    def do_PUT(self):
        path, params, parts = self.route()
        raw = self.read_body()
        self.record({"bytes": len(raw), "content": raw.decode(errors="replace")})
        with state_lock:
            if len(parts) < 4 or self.session_or_404(parts[2]) is None:
                return
            id = parts[2]
            if parts[3] == "archive":
                count, total = 0, 0
                with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
                    for member in archive.getmembers():
                        name = member.name[2:] if member.name.startswith("./") else member.name
                        if not name.rstrip("/"):
                            continue
                        if not valid_path(name.rstrip("/")):
                            return self.send_json(400, error("invalid_path", "archive member %r leaves the workspace" % member.name, "path"))
                        if member.isfile():
                            WORKSPACES[id][name] = [archive.extractfile(member).read(), member.mode]
                            count, total = count + 1, total + member.size
                return self.send_json(200, {"files": count, "bytes": total})
            if parts[3] == "files":
                relative = "/".join(parts[4:])
                if not valid_path(relative):
                    return self.send_json(400, error("invalid_path", "path %r leaves the workspace" % relative, "path"))
                mode = int(params.get("mode", "0644"), 8)
                WORKSPACES[id][relative] = [raw, mode]
                return self.send_json(201, entry(relative, raw, mode))
        self.send_json(404, error("not_found", "no route"))

    def do_DELETE(self):
        path, params, parts = self.route()
        if not path.startswith("/v1/sessions"):
            return Handler.do_DELETE(self)
        self.record(None)
        with state_lock:
            session = self.session_or_404(parts[2])
            if session is None:
                return
            session.update(state="ended", ended_at="2024-05-01T10:09:00.000Z", end_reason="deleted")
            WORKSPACES[parts[2]] = {}
            return self.send_json(200, session)
"""#
}
