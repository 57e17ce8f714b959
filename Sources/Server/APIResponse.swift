import API
import Engine
import Hummingbird

/// JSON responses in the API's conventions.
enum APIResponse {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try APIJSON.encoder().encode(value)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeString("\n")
        return Response(
            status: status, headers: [.contentType: "application/json", .contentLength: "\(buffer.readableBytes)"],
            body: ResponseBody(byteBuffer: buffer))
    }

    /// `{"error": {...}}` with the error's status, and Retry-After when it says when to retry.
    static func error(_ error: APIError, headers extra: HTTPFields = [:]) -> Response {
        let status = HTTPResponse.Status(code: error.httpStatus)
        var response: Response
        do {
            response = try json(APIErrorBody(error: error), status: status)
        } catch {
            // Encoding two strings cannot fail; answer with the status alone if it somehow does.
            response = Response(status: status)
        }
        if let retryAfter = error.retryAfter {
            response.headers[.retryAfter] = String(retryAfter)
        }
        response.headers.append(contentsOf: extra)
        return response
    }
}
