import Catalog
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The status line and headers of an HTTP/1.1 response.
package struct HTTPResponseHead: Sendable {
    package let status: Int
    /// Names lowercased, in the order they came.
    package let headers: [(name: String, value: String)]

    /// The first value of a header, by name (any case).
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    package init(status: Int, headers: [(name: String, value: String)]) {
        self.status = status
        self.headers = headers
    }

    /// Parses "HTTP/1.1 200 OK\r\nName: value\r\n..." (the bytes before the blank line).
    package init(parsing bytes: ArraySlice<UInt8>) throws(ClientError) {
        // Split the bytes, not a String: in Swift "\r\n" is one Character, so a String never splits at "\n".
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let fields = statusLine.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]) else {
            throw .protocolViolation("the status line \(statusLine.debugDescription) is not HTTP/1.x")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw .protocolViolation("the header line \(line.debugDescription) has no colon")
            }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...].trimmingSpaces)
            headers.append((name, value))
        }
        self.init(status: status, headers: headers)
    }
}
