/// A whole HTTP response: status, headers and body.
struct HTTPResponse: Sendable {
    let head: HTTPResponseHead
    let body: [UInt8]

    var status: Int { head.status }
}
