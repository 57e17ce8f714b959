/// Requests whose bodies are not JSON (files, tar archives), and answers read whatever their status.
extension UnixHTTPClient {
    /// Sends one request and reads the whole answer without judging its status: the MCP tools turn an error
    /// answer into a tool result carrying the daemon's code, and a file read must see the content type.
    package func exchange(
        _ method: String, _ target: String, body: [UInt8]? = nil, contentType: String = "application/json",
        accept: String = "application/json"
    ) throws(ClientError) -> HTTPResponse {
        let (reader, head) = try open(method, target, body: body, accept: accept, contentType: contentType)
        return HTTPResponse(head: head, body: try reader.readWholeBody(timeout: answerTimeout))
    }

    /// As `exchange`, but an error status is thrown as the daemon's message (the command-line client's way).
    package func sendRaw(
        _ method: String, _ target: String, body: [UInt8]? = nil, contentType: String = "application/octet-stream",
        accept: String = "application/json"
    ) throws(ClientError) -> HTTPResponse {
        let response = try exchange(method, target, body: body, contentType: contentType, accept: accept)
        guard response.status < 300 else {
            throw ClientError.answer(status: response.status, body: response.body, retryAfter: response.head.header("retry-after"))
        }
        return response
    }

    /// A copy that waits this long for an answer (milliseconds; -1: as long as it takes): a foreground step or a
    /// waited-for job answers only when it ends, and the daemon enforces its time limits.
    package func waiting(_ milliseconds: Int32) -> UnixHTTPClient {
        var copy = self
        copy.answerTimeout = milliseconds
        return copy
    }
}
