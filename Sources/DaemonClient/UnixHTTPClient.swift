import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 over the daemon's Unix socket: one connection per request (`Connection: close`), JSON bodies.
package struct UnixHTTPClient: Sendable {
    package let socketPath: String
    /// How long a plain request may wait for the daemon's answer, in milliseconds.
    package var answerTimeout: Int32 = 60_000

    package init(socketPath: String, answerTimeout: Int32 = 60_000) {
        self.socketPath = socketPath
        self.answerTimeout = answerTimeout
    }

    /// Sends one request and reads the whole answer. Error statuses are thrown as the daemon's message.
    package func send(_ method: String, _ target: String, json body: [UInt8]? = nil) throws(ClientError) -> HTTPResponse {
        let (reader, head) = try open(method, target, body: body, accept: "application/json")
        let responseBody = try reader.readWholeBody(timeout: answerTimeout)
        guard head.status < 300 else {
            throw ClientError.answer(status: head.status, body: responseBody, retryAfter: head.header("retry-after"))
        }
        return HTTPResponse(head: head, body: responseBody)
    }

    /// Sends one request and decodes the JSON answer; the raw body comes along for `--json`.
    package func send<Value: Decodable>(
        _ method: String, _ target: String, json body: [UInt8]? = nil, expecting type: Value.Type
    ) throws(ClientError) -> (value: Value, body: [UInt8]) {
        let response = try send(method, target, json: body)
        return (try ClientJSON.decode(type, from: response.body, what: "the answer to \(method) \(target)"), response.body)
    }

    /// Opens a server-sent event stream (`GET target`), to be read event by event as the daemon sends them.
    package func events(_ target: String) throws(ClientError) -> ServerSentEventStream {
        let (reader, head) = try open("GET", target, body: nil, accept: "text/event-stream")
        guard head.status < 300 else {
            let body = try reader.readWholeBody(timeout: answerTimeout)
            throw ClientError.answer(status: head.status, body: body, retryAfter: head.header("retry-after"))
        }
        let type = head.header("content-type") ?? ""
        guard type.lowercased().hasPrefix("text/event-stream") else {
            throw .protocolViolation("GET \(target) answered \(type.isEmpty ? "no Content-Type" : type), not text/event-stream")
        }
        return ServerSentEventStream(reader: reader)
    }

    package func open(
        _ method: String, _ target: String, body: [UInt8]?, accept: String, contentType: String = "application/json"
    ) throws(ClientError) -> (HTTPResponseReader, HTTPResponseHead) {
        let connection = try UnixSocketConnection(path: socketPath)
        try connection.send(Self.request(method, target, body: body, accept: accept, contentType: contentType))
        let reader = HTTPResponseReader(connection: connection)
        return (reader, try reader.readHead(timeout: answerTimeout))
    }

    package static func request(_ method: String, _ target: String, body: [UInt8]?, accept: String, contentType: String = "application/json") -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: brig\r\nConnection: close\r\nAccept: \(accept)\r\nUser-Agent: brig\r\n"
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        } else if method == "POST" || method == "PUT" {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }
}
