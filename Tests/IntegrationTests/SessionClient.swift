import API
import Engine
import Foundation
import Testing

/// Session calls against a real daemon, for the session tests. Every session it creates is deleted by
/// `deleteAll()` (call it in a defer): a session's workspace is a mount that must not outlive the test.
final class SessionClient: @unchecked Sendable {
    let daemon: Daemon
    private var created: [String] = []
    private let lock = NSLock()

    init(_ daemon: Daemon) {
        self.daemon = daemon
    }

    func create(_ json: String = "{}") throws -> SessionView {
        let response = try daemon.request("POST", "/v1/sessions", body: json)
        try #require(response.status == 201, "create: \(response.status) \(response.text)")
        let view = try APIJSON.decoder().decode(SessionView.self, from: response.body)
        lock.withLock { created.append(view.id) }
        return view
    }

    func session(_ id: String) throws -> SessionView {
        let response = try daemon.request("GET", "/v1/sessions/\(id)")
        try #require(response.status == 200, "get: \(response.status) \(response.text)")
        return try APIJSON.decoder().decode(SessionView.self, from: response.body)
    }

    /// A foreground step, waited for.
    func exec(_ id: String, _ json: String) throws -> StepView {
        let response = try daemon.request("POST", "/v1/sessions/\(id)/exec", body: json)
        try #require(response.status == 200 || response.status == 202, "exec: \(response.status) \(response.text)")
        return try APIJSON.decoder().decode(StepView.self, from: response.body)
    }

    func shell(_ id: String, _ command: String) throws -> StepView {
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["cmd": command]), as: UTF8.self)
        return try exec(id, body)
    }

    func step(_ id: String, _ step: String) throws -> StepView {
        try APIJSON.decoder().decode(StepView.self, from: daemon.request("GET", "/v1/sessions/\(id)/steps/\(step)").body)
    }

    func waitForStep(_ id: String, _ step: String, seconds: Double = 30) throws -> StepView {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let view = try self.step(id, step)
            if view.status.isTerminal { return view }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw DaemonError(message: "step \(step) did not end in \(seconds)s")
    }

    /// A raw request (files, archives): `--path-as-is` so ".." reaches the daemon as sent.
    func raw(_ method: String, _ path: String, bodyFile: String? = nil, output: String? = nil) throws -> (status: Int, body: Data) {
        var arguments = ["-s", "--path-as-is", "--max-time", "120", "--unix-socket", daemon.socket, "-X", method, "-w", "\n%{http_code}"]
        if let bodyFile { arguments += ["-H", "Content-Type: application/octet-stream", "--data-binary", "@\(bodyFile)"] }
        arguments += ["-o", output ?? "-"]
        arguments.append("http://brig\(path)")
        let out = try Daemon.curl(arguments, stdin: nil)
        guard let newline = out.lastIndex(of: UInt8(ascii: "\n")), let status = Int(String(decoding: out[(newline + 1)...], as: UTF8.self)) else {
            throw DaemonError(message: "curl gave no status")
        }
        return (status, Data(out[..<newline]))
    }

    func put(_ id: String, _ path: String, _ content: String, scratch: String) throws -> (status: Int, body: Data) {
        let file = "\(scratch)/upload-\(UUID().uuidString)"
        try Data(content.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try raw("PUT", "/v1/sessions/\(id)/files/\(path)", bodyFile: file)
    }

    func delete(_ id: String) throws -> SessionView {
        let response = try daemon.request("DELETE", "/v1/sessions/\(id)")
        try #require(response.status == 200, "delete: \(response.status) \(response.text)")
        return try APIJSON.decoder().decode(SessionView.self, from: response.body)
    }

    func deleteAll() {
        for id in lock.withLock({ created }) { _ = try? daemon.request("DELETE", "/v1/sessions/\(id)") }
    }

    static func errorCode(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }
}
