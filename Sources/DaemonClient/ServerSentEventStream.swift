/// The events of a `text/event-stream` response as they arrive (the HTML living standard's parsing rules,
/// without `id` and `retry`, which a one-shot client has no use for).
package final class ServerSentEventStream {
    private let reader: HTTPResponseReader
    /// Body bytes after the last complete line.
    private var partialLine: [UInt8] = []
    private var pending: [ServerSentEvent] = []
    private var event = ""
    private var dataLines: [String] = []
    private var ended = false

    package enum Next {
        case event(ServerSentEvent)
        /// Nothing within the timeout: a moment to redraw a progress line or check for an interrupt.
        case idle
        /// The server closed the stream.
        case end
    }

    package init(reader: HTTPResponseReader) {
        self.reader = reader
    }

    /// The next event, waiting up to `timeout` milliseconds for one.
    package func next(timeout: Int32) throws(ClientError) -> Next {
        while pending.isEmpty {
            if ended { return .end }
            switch try reader.readBody(timeout: timeout) {
            case .idle: return .idle
            case .bytes(let bytes): consume(bytes)
            case .end:
                ended = true
                // A last event without its blank line still counts: the server closing is its end.
                if !partialLine.isEmpty { line(partialLine) }
                partialLine = []
                dispatch()
            }
        }
        return .event(pending.removeFirst())
    }

    private func consume(_ bytes: [UInt8]) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if partialLine.last == UInt8(ascii: "\r") { partialLine.removeLast() }
                line(partialLine)
                partialLine = []
            } else {
                partialLine.append(byte)
            }
        }
    }

    private func line(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else {
            dispatch()
            return
        }
        if bytes.first == UInt8(ascii: ":") { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let field: Substring, value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            let rest = text[text.index(after: colon)...]
            value = rest.first == " " ? rest.dropFirst() : rest
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data": dataLines.append(String(value))
        default: break
        }
    }

    private func dispatch() {
        defer {
            event = ""
            dataLines = []
        }
        guard !dataLines.isEmpty || !event.isEmpty else { return }
        pending.append(ServerSentEvent(event: event.isEmpty ? "message" : event, data: dataLines.joined(separator: "\n")))
    }
}
