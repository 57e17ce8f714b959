import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// How the client reads the daemon's JSON and how `--json` prints it.
package enum ClientJSON {
    /// Dates as the daemon may write them: ISO 8601 (with or without fractions of a second) or seconds
    /// since 1970, so the client does not break if the server's encoder changes its date strategy.
    package static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text.debugDescription) is not an ISO 8601 date")
        }
        return decoder
    }

    package static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    package static func decode<Value: Decodable>(_ type: Value.Type, from body: [UInt8], what: String) throws(ClientError) -> Value {
        do {
            return try decoder.decode(type, from: Data(body))
        } catch {
            throw .protocolViolation("\(what) is not the JSON the API describes (\(error))")
        }
    }

    /// The daemon's JSON as it came, on one line: the whitespace between a pretty-printed body's tokens is
    /// dropped (what is inside its strings, where a line break is always escaped, stays as it is).
    package static func line(_ body: [UInt8]) -> [UInt8] {
        var compact: [UInt8] = []
        compact.reserveCapacity(body.count + 1)
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
                continue
            }
            compact.append(byte)
        }
        return compact + [UInt8(ascii: "\n")]
    }
}
