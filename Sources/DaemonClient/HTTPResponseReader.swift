import Catalog
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Reads one HTTP/1.1 response from a connection: the head, then the body as it arrives, framed by
/// Content-Length, by chunked transfer-encoding, or by the end of the stream.
package final class HTTPResponseReader {
    private let connection: UnixSocketConnection
    /// Received bytes not consumed yet.
    private var buffer: [UInt8] = []
    private var framing = Framing.untilEndOfStream

    private enum Framing {
        case length(remaining: Int)
        case untilEndOfStream
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case trailer
        case finished
    }

    /// One step of reading the body.
    package enum BodyPiece {
        case bytes([UInt8])
        /// Nothing arrived within the timeout.
        case idle
        case end
    }

    package init(connection: UnixSocketConnection) {
        self.connection = connection
    }

    /// Reads up to the blank line after the headers and sets up the body's framing.
    package func readHead(timeout: Int32) throws(ClientError) -> HTTPResponseHead {
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer) {
                let head = try HTTPResponseHead(parsing: buffer[..<end])
                buffer.removeFirst(end + 4)
                // 1xx answers come before the real one.
                if (100..<200).contains(head.status) { continue }
                if head.header("transfer-encoding")?.lowercased().firstRange(of: "chunked") != nil {
                    framing = .chunkSize
                } else if let length = head.header("content-length") {
                    guard let count = Int(length), count >= 0 else {
                        throw .protocolViolation("Content-Length \(length.debugDescription) is not a byte count")
                    }
                    framing = .length(remaining: count)
                } else if head.status == 204 || head.status == 304 {
                    framing = .finished
                } else {
                    framing = .untilEndOfStream
                }
                return head
            }
            switch try connection.read(timeout: timeout) {
            case .bytes(let more): buffer += more
            case .endOfStream:
                throw buffer.isEmpty
                    ? ClientError("the daemon at \(connection.path) closed the connection without answering", exitCode: .unavailable)
                    : .protocolViolation("the connection ended inside the response's headers")
            case .idle:
                throw ClientError("the daemon at \(connection.path) did not answer within \(timeout / 1000)s", exitCode: .unavailable)
            }
        }
    }

    /// The next piece of the body: waits up to `timeout` milliseconds (-1: for ever) when none is buffered.
    package func readBody(timeout: Int32) throws(ClientError) -> BodyPiece {
        while true {
            if let piece = try takeBuffered() { return piece }
            switch try connection.read(timeout: timeout) {
            case .bytes(let more): buffer += more
            case .idle: return .idle
            case .endOfStream:
                if case .untilEndOfStream = framing {
                    framing = .finished
                    return .end
                }
                throw .protocolViolation("the connection ended before the response's body did")
            }
        }
    }

    /// The whole body, waiting up to `timeout` milliseconds for each piece.
    package func readWholeBody(timeout: Int32) throws(ClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            switch try readBody(timeout: timeout) {
            case .bytes(let piece): body += piece
            case .end: return body
            case .idle:
                throw ClientError("the daemon at \(connection.path) stopped answering for \(timeout / 1000)s", exitCode: .unavailable)
            }
        }
    }

    /// Advances the framing over the buffered bytes: a piece of body, the end, or nil when more bytes are needed.
    private func takeBuffered() throws(ClientError) -> BodyPiece? {
        while true {
            switch framing {
            case .finished:
                return .end
            case .untilEndOfStream:
                return buffer.isEmpty ? nil : .bytes(takeAll())
            case .length(let remaining):
                if remaining == 0 {
                    framing = .finished
                    return .end
                }
                guard !buffer.isEmpty else { return nil }
                let piece = take(min(remaining, buffer.count))
                framing = .length(remaining: remaining - piece.count)
                return .bytes(piece)
            case .chunkSize:
                guard let line = takeLine() else { return nil }
                let hex = line.split(separator: ";", maxSplits: 1).first.map { String($0.trimmingSpaces) } ?? ""
                guard let size = Int(hex, radix: 16), size >= 0 else {
                    throw .protocolViolation("the chunk size \(line.debugDescription) is not hexadecimal")
                }
                framing = size == 0 ? .trailer : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard !buffer.isEmpty else { return nil }
                let piece = take(min(remaining, buffer.count))
                framing = piece.count == remaining ? .chunkEnd : .chunkData(remaining: remaining - piece.count)
                return .bytes(piece)
            case .chunkEnd:
                guard let line = takeLine() else { return nil }
                guard line.isEmpty else { throw .protocolViolation("a chunk is longer than its size says") }
                framing = .chunkSize
            case .trailer:
                guard let line = takeLine() else { return nil }
                if line.isEmpty {
                    framing = .finished
                    return .end
                }
            }
        }
    }

    private func take(_ count: Int) -> [UInt8] {
        let piece = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return piece
    }

    private func takeAll() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }

    /// One CRLF-terminated line without its CRLF, or nil when it has not fully arrived.
    private func takeLine() -> String? {
        guard let end = Self.find([13, 10], in: buffer) else { return nil }
        let line = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end + 2)
        return line
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { start in
            needle.indices.allSatisfy { haystack[start + $0] == needle[$0] }
        }
    }
}
