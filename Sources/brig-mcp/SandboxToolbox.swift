import API
import DaemonClient
import Dispatch
import Foundation
import MCP

/// What the MCP tools do: each call becomes requests to the local daemon, and the daemon's answer becomes
/// one JSON object for the model. The daemon is reached with the blocking command-line client on a
/// dispatch thread, so a long run never holds one of the few threads the Swift runtime shares.
struct SandboxToolbox: Sendable {
    let client: UnixHTTPClient

    /// Longest wait for a run's answer: the daemon enforces the run's own limits well before this.
    static let runWait: Int32 = 86_400_000

    /// The default of read_file's max_bytes.
    static let readLimit = 1_048_576

    func call(_ name: String, arguments: [String: Value]) async -> CallTool.Result {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[String: Value], ToolFailure>, Never>) in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(ToolFailure) in try perform(name, arguments) })
            }
        }
        switch outcome {
        case .success(let report): return Self.result(report, isError: false)
        case .failure(let failure): return Self.result(failure.value.objectValue ?? [:], isError: true)
        }
    }

    /// One call, on the calling thread.
    func perform(_ name: String, _ values: [String: Value]) throws(ToolFailure) -> [String: Value] {
        let arguments = try ToolArguments(values, accepted: SandboxToolCatalog.accepted(by: name), tool: name)
        switch name {
        case "run_code": return try runCode(arguments)
        case "create_sandbox": return try createSandbox(arguments)
        case "exec": return try exec(arguments)
        case "write_file": return try writeFile(arguments)
        case "read_file": return try readFile(arguments)
        case "list_files": return try listFiles(arguments)
        case "close_sandbox": return try closeSandbox(arguments)
        default: throw ToolFailure(code: "unknown_tool", message: "no tool \(name.debugDescription) (tools: \(SandboxToolCatalog.names.joined(separator: ", ")))")
        }
    }

    private func runCode(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let language = try arguments.requiredString("language")
        guard let code = try arguments.string("code") else { throw .argument("code", "required") }
        let request = JobRequest(
            language: language, source: code, stdin: try arguments.string("stdin"), profile: try arguments.string("profile"),
            wait: true)
        var job = try object(try daemon("POST", APITarget.jobs, json: try Self.encode(request), wait: Self.runWait))
        // A daemon may answer before the job ends; then ask until it has.
        while let status = job["status"]?.stringValue, status == "queued" || status == "running", let id = job["id"]?.stringValue {
            usleep(200_000)
            job = try object(try daemon("GET", APITarget.job(id)))
        }
        return RunReport.job(job)
    }

    private func createSandbox(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let files = try arguments.files("files")
        let request = SessionRequest(
            image: try arguments.string("image"), profile: try arguments.string("profile"),
            ttl: try arguments.duration("ttl"), idleTTL: try arguments.duration("idle_ttl"), files: files)
        let session = try object(try daemon("POST", APITarget.sessions, json: try Self.encode(request)))
        var report = Self.sessionReport(session)
        report["files_written"] = .int(files?.count ?? 0)
        report["message"] = .string("sandbox \(session["id"]?.stringValue ?? "?") is ready: its workspace is /work; run commands with exec")
        return report
    }

    private func exec(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let id = try arguments.requiredString("sandbox_id")
        let request = ExecRequest(
            cmd: try arguments.command("cmd"), stdin: try arguments.string("stdin"), env: try arguments.stringMap("env"),
            cwd: try arguments.path("cwd")?.description, timeout: try arguments.duration("timeout"),
            background: try arguments.bool("background"), wait: true)
        var step = try object(try daemon("POST", APITarget.exec(in: id), json: try Self.encode(request), wait: Self.runWait))
        let background = request.background ?? false
        while !background, let status = step["status"]?.stringValue, status == "queued" || status == "running",
              let stepID = step["id"]?.stringValue {
            usleep(200_000)
            step = try object(try daemon("GET", APITarget.step(stepID, in: id)))
        }
        return RunReport.step(step, sandboxID: id)
    }

    private func writeFile(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let id = try arguments.requiredString("sandbox_id")
        let path = try Self.filePath(arguments)
        guard let content = try arguments.string("content") else { throw .argument("content", "required") }
        let bytes: [UInt8]
        if try arguments.encoding("encoding") == "base64" {
            guard let data = Data(base64Encoded: content, options: .ignoreUnknownCharacters) else {
                throw .argument("content", "not valid base64 (encoding is \"base64\")")
            }
            bytes = Array(data)
        } else {
            bytes = Array(content.utf8)
        }
        let mode = try arguments.string("mode")
        if let mode, mode.count < 3 || mode.count > 4 || !mode.allSatisfy({ ("0"..."7").contains($0) }) {
            throw .argument("mode", "\(mode.debugDescription): expected octal permissions such as \"0644\" or \"0755\"")
        }
        let answer = try daemon(
            "PUT", APITarget.files(in: id, path: path, mode: mode.map { $0.count == 3 ? "0" + $0 : $0 }), body: bytes,
            contentType: "application/octet-stream")
        var report = (try? object(answer)) ?? [:]
        report["sandbox_id"] = .string(id)
        report["path"] = .string(path.description)
        report["size"] = report["size"] ?? .int(bytes.count)
        report["status"] = "ok"
        report["message"] = .string("wrote \(bytes.count) bytes to \(path)")
        return report
    }

    private func readFile(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let id = try arguments.requiredString("sandbox_id")
        let path = try Self.filePath(arguments)
        let limit = try arguments.integer("max_bytes", in: 1...16_777_216) ?? Self.readLimit
        let answer = try daemon("GET", APITarget.files(in: id, path: path), accept: "*/*", wait: 600_000)
        if answer.isJSON {
            throw ToolFailure(code: "is_a_directory", message: "\(path) is a folder: list it with list_files", field: "path")
        }
        var kept = answer.body.prefix(limit)
        var text = String(validating: kept, as: UTF8.self)
        // A cut may split a UTF-8 sequence: back off up to 3 bytes before giving up on text.
        var backOff = 0
        while text == nil, kept.count < answer.body.count, backOff < 3, !kept.isEmpty {
            kept = kept.dropLast()
            backOff += 1
            text = String(validating: kept, as: UTF8.self)
        }
        var report: [String: Value] = [
            "sandbox_id": .string(id), "path": .string(path.description), "size": .int(answer.body.count),
            "truncated": .bool(kept.count < answer.body.count), "status": "ok",
        ]
        if let text {
            report["encoding"] = "utf8"
            report["content"] = .string(text)
        } else {
            report["encoding"] = "base64"
            report["content"] = .string(Data(answer.body.prefix(limit)).base64EncodedString())
        }
        return report
    }

    private func listFiles(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let id = try arguments.requiredString("sandbox_id")
        let path = try arguments.path("path") ?? .root
        let recursive = try arguments.bool("recursive") ?? false
        // The daemon lists recursively from /work only: a folder's tree is the part of that listing under it.
        let subtree = recursive && !path.isRoot
        let answer = try daemon("GET", APITarget.files(in: id, path: subtree ? .root : path, recursive: recursive), accept: "*/*")
        guard answer.isJSON else {
            throw ToolFailure(code: "not_a_directory", message: "\(path) is a file: read it with read_file", field: "path")
        }
        var entries = try object(answer)["entries"]?.arrayValue ?? []
        if subtree {
            entries = entries.filter { $0.objectValue?["path"]?.stringValue?.hasPrefix(path.relative + "/") == true }
            if entries.isEmpty {
                // Nothing under it: say whether the folder is there at all (the daemon's 404 names it).
                _ = try daemon("GET", APITarget.files(in: id, path: path), accept: "*/*")
            }
        }
        return ["sandbox_id": .string(id), "path": .string(path.description), "status": "ok", "entries": .array(entries)]
    }

    private func closeSandbox(_ arguments: ToolArguments) throws(ToolFailure) -> [String: Value] {
        let id = try arguments.requiredString("sandbox_id")
        let session = try object(try daemon("DELETE", APITarget.session(id)))
        var report = Self.sessionReport(session)
        report["message"] = .string("sandbox \(id) is \(session["state"]?.stringValue ?? "ended"): its processes were killed and its workspace removed")
        return report
    }

    // MARK: - Talking to the daemon

    private func daemon(
        _ method: String, _ target: String, json: [UInt8]? = nil, body: [UInt8]? = nil, contentType: String = "application/json",
        accept: String = "application/json", wait: Int32 = 60_000
    ) throws(ToolFailure) -> DaemonClient.HTTPResponse {
        let response: DaemonClient.HTTPResponse
        do {
            response = try client.waiting(wait).exchange(method, target, body: json ?? body, contentType: contentType, accept: accept)
        } catch {
            throw .client(error)
        }
        guard response.status < 300 else { throw .answer(response) }
        return response
    }

    private func object(_ response: DaemonClient.HTTPResponse) throws(ToolFailure) -> [String: Value] {
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(response.body)), let object = value.objectValue else {
            throw .client(.protocolViolation("the daemon's answer is not a JSON object"))
        }
        return object
    }

    private static func encode<Request: Encodable>(_ request: Request) throws(ToolFailure) -> [UInt8] {
        do {
            return try ClientJSON.body(request)
        } catch {
            throw .client(error)
        }
    }

    private static func filePath(_ arguments: ToolArguments) throws(ToolFailure) -> SessionPath {
        guard let path = try arguments.path("path") else { throw .argument("path", "required") }
        if path.isRoot { throw .argument("path", "names the workspace itself, not a file in it") }
        return path
    }

    /// A session (`SessionView` JSON) as create_sandbox and close_sandbox answer it.
    private static func sessionReport(_ session: [String: Value]) -> [String: Value] {
        var report: [String: Value] = ["sandbox_id": session["id"] ?? .null, "status": "ok"]
        for key in ["state", "image", "profile", "created_at", "expires_at", "idle_expires_at", "ended_at", "end_reason", "caps", "usage"] {
            if let value = session[key], value != .null { report[key] = value }
        }
        return report
    }

    // MARK: - Answers

    static func result(_ report: [String: Value], isError: Bool) -> CallTool.Result {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let text = (try? encoder.encode(Value.object(report))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return CallTool.Result(
            content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: .object(report), isError: isError)
    }
}
