import API
import Engine

/// The shape a request body must have: which keys each object may contain and what kind of value each holds.
/// Checked before decoding because the decoder ignores unknown keys (a typo like "langauge" would pass
/// silently) and reports some mismatches (1.5 for an integer) without the field's path.
/// Null is accepted everywhere here; required keys and non-null values are the decoder's to check.
indirect enum BodySchema: Sendable {
    case object([String: BodySchema])
    case array(of: BodySchema)
    case string
    case integer
    case number
    case boolean
    /// Any of these (a command as a string or an argv; a signal as a name or a number).
    case oneOf([BodySchema])
    /// An object with any keys, each value of this shape (an environment).
    case dictionary(of: BodySchema)

    /// The first place (depth first, keys in sorted order) where `json` does not fit.
    func firstViolation(in json: JSONValue, path: String = "") -> APIError? {
        let name = path.isEmpty ? "the body" : path
        let field = path.isEmpty ? nil : path
        switch (self, json) {
        case (_, .null):
            return nil
        case (.oneOf(let options), _):
            if options.contains(where: { $0.firstViolation(in: json, path: path) == nil }) { return nil }
            return APIError("invalid_request", "\(name) must be \(expected), not \(json.kind)", field: field)
        case (.dictionary(let element), .object(let members)):
            for key in members.keys.sorted() {
                if let member = members[key], let violation = element.firstViolation(in: member, path: path.isEmpty ? key : "\(path).\(key)") {
                    return violation
                }
            }
            return nil
        case (.object(let keys), .object(let members)):
            for key in members.keys.sorted() {
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                guard let schema = keys[key] else {
                    return APIError(
                        "unknown_field",
                        "unknown key \"\(memberPath)\"; expected one of: \(keys.keys.sorted().joined(separator: ", "))",
                        field: memberPath)
                }
                if let member = members[key], let violation = schema.firstViolation(in: member, path: memberPath) {
                    return violation
                }
            }
            return nil
        case (.array(let element), .array(let items)):
            for (index, item) in items.enumerated() {
                if let violation = element.firstViolation(in: item, path: "\(path)[\(index)]") {
                    return violation
                }
            }
            return nil
        case (.string, .string), (.number, .number), (.boolean, .bool):
            return nil
        case (.integer, .number(let value)):
            guard value.rounded() == value, abs(value) <= 9_007_199_254_740_992 else {
                return APIError("invalid_request", "\(name) must be an integer, not \(value)", field: field)
            }
            return nil
        default:
            return APIError("invalid_request", "\(name) must be \(expected), not \(json.kind)", field: field)
        }
    }

    private var expected: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "true or false"
        case .oneOf(let options): options.map(\.expected).joined(separator: " or ")
        case .dictionary: "an object"
        }
    }
}
