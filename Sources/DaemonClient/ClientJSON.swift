import Foundation

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

    /// The daemon's JSON as it came, on one line: a pretty-printed body is re-serialized compactly.
    package static func line(_ body: [UInt8]) -> [UInt8] {
        var trimmed = body[...]
        while let last = trimmed.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") {
            trimmed = trimmed.dropLast()
        }
        if trimmed.contains(UInt8(ascii: "\n")),
           let object = try? JSONSerialization.jsonObject(with: Data(trimmed), options: [.fragmentsAllowed]),
           let compact = try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .withoutEscapingSlashes]) {
            return Array(compact) + [UInt8(ascii: "\n")]
        }
        return Array(trimmed) + [UInt8(ascii: "\n")]
    }
}
