/// A whole HTTP response: status, headers and body.
package struct HTTPResponse: Sendable {
    package let head: HTTPResponseHead
    package let body: [UInt8]

    package var status: Int { head.status }

    /// Whether the body is JSON: a session path answers a directory with its JSON listing, a file with its bytes.
    package var isJSON: Bool {
        (head.header("content-type") ?? "").lowercased().hasPrefix("application/json")
    }
}
