import API
import Catalog
import DaemonClient
import Foundation
import MCP

/// A tool call's arguments, read by name and type; anything wrong names the argument and the reason.
struct ToolArguments: Sendable {
    let values: [String: Value]

    /// Refuses arguments the tool does not take, so a misspelt one is not silently ignored.
    init(_ values: [String: Value], accepted: [String], tool: String) throws(ToolFailure) {
        for name in values.keys.sorted() where !accepted.contains(name) {
            throw .argument(name, "\(tool) takes no such argument (it takes \(accepted.joined(separator: ", ")))")
        }
        self.values = values
    }

    func string(_ name: String) throws(ToolFailure) -> String? {
        guard let value = values[name], value != .null else { return nil }
        switch value {
        case .string(let text): return text
        // The SDK reads a string that looks like a data: URL as data; it was a string all the same.
        case .data: return Self.text(of: value)
        default: throw .argument(name, "expected a string, got \(Self.kind(of: value))")
        }
    }

    func requiredString(_ name: String) throws(ToolFailure) -> String {
        guard let text = try string(name) else { throw .argument(name, "required") }
        if text.isEmpty { throw .argument(name, "must not be empty") }
        return text
    }

    func bool(_ name: String) throws(ToolFailure) -> Bool? {
        guard let value = values[name], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw .argument(name, "expected true or false, got \(Self.kind(of: value))") }
        return flag
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ToolFailure) -> Int? {
        guard let value = values[name], value != .null else { return nil }
        let number: Int
        switch value {
        case .int(let whole): number = whole
        case .double(let real) where real.rounded() == real && abs(real) < 1e15: number = Int(real)
        default: throw .argument(name, "expected a whole number, got \(Self.kind(of: value))")
        }
        guard range.contains(number) else { throw .argument(name, "\(number) is out of range (\(range.lowerBound) to \(range.upperBound))") }
        return number
    }

    /// A duration as the API takes it: "30s", "500ms", "2m", or a number of seconds.
    func duration(_ name: String) throws(ToolFailure) -> String? {
        guard let value = values[name], value != .null else { return nil }
        let text: String
        switch value {
        case .int(let seconds): text = "\(seconds)s"
        case .double(let seconds): text = "\(Int((seconds * 1000).rounded()))ms"
        case .string(let given): text = given
        default: throw .argument(name, "expected a duration such as \"30s\" or a number of seconds, got \(Self.kind(of: value))")
        }
        let parsed: DurationText
        do {
            parsed = try DurationText(parsing: text)
        } catch {
            throw .argument(name, error.reason)
        }
        guard parsed.duration > .zero else { throw .argument(name, "\(text.debugDescription) is not a positive duration") }
        return text
    }

    /// A path in the workspace: relative to /work, or starting with /work/.
    func path(_ name: String) throws(ToolFailure) -> SessionPath? {
        guard let text = try string(name) else { return nil }
        do {
            return try SessionPath(parsing: text)
        } catch {
            throw .argument(name, error.reason)
        }
    }

    /// An object of string values (environment variables).
    func stringMap(_ name: String) throws(ToolFailure) -> [String: String]? {
        guard let value = values[name], value != .null else { return nil }
        guard case .object(let object) = value else { throw .argument(name, "expected an object of strings, got \(Self.kind(of: value))") }
        var map: [String: String] = [:]
        for (key, entry) in object {
            if key.isEmpty || key.contains("=") { throw .argument("\(name).\(key)", "not a valid variable name") }
            switch entry {
            case .string(let text): map[key] = text
            case .int(let number): map[key] = String(number)
            case .bool(let flag): map[key] = String(flag)
            default: throw .argument("\(name).\(key)", "expected a string, got \(Self.kind(of: entry))")
            }
        }
        return map
    }

    /// A command: an argv array of strings, or one shell line.
    func command(_ name: String) throws(ToolFailure) -> StepCommand {
        guard let value = values[name], value != .null else { throw .argument(name, "required") }
        switch value {
        case .string(let line):
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { throw .argument(name, "must not be empty") }
            return .shell(line)
        case .array(let items):
            guard !items.isEmpty else { throw .argument(name, "must have at least the program's name") }
            var argv: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let word) = item else {
                    throw .argument("\(name)[\(index)]", "expected a string, got \(Self.kind(of: item))")
                }
                argv.append(word)
            }
            if argv[0].isEmpty { throw .argument("\(name)[0]", "the program's name must not be empty") }
            return .argv(argv)
        default:
            throw .argument(name, "expected an array of strings (argv) or a shell command string, got \(Self.kind(of: value))")
        }
    }

    /// Files to put in a workspace: `[{"path", "content", "encoding"?}]`.
    func files(_ name: String) throws(ToolFailure) -> [JobFile]? {
        guard let value = values[name], value != .null else { return nil }
        guard case .array(let items) = value else { throw .argument(name, "expected an array of {path, content, encoding?}, got \(Self.kind(of: value))") }
        var files: [JobFile] = []
        for (index, item) in items.enumerated() {
            let field = "\(name)[\(index)]"
            guard case .object(let object) = item else { throw .argument(field, "expected an object {path, content, encoding?}") }
            let entry = try ToolArguments(object, accepted: ["path", "content", "encoding"], tool: field)
            let path = try Self.renamed(field + ".path") { () throws(ToolFailure) in try entry.path("path") }
            guard let path, !path.isRoot else { throw .argument(field + ".path", "required: a file's path relative to /work") }
            let content = try Self.renamed(field + ".content") { () throws(ToolFailure) in try entry.string("content") }
            guard let content else { throw .argument(field + ".content", "required") }
            let encoding = try Self.renamed(field + ".encoding") { () throws(ToolFailure) in try entry.encoding("encoding") }
            files.append(JobFile(path: path.relative, content: content, encoding: encoding))
        }
        return files
    }

    /// "utf8" or "base64".
    func encoding(_ name: String) throws(ToolFailure) -> String? {
        guard let text = try string(name) else { return nil }
        guard text == "utf8" || text == "base64" else { throw .argument(name, "\(text.debugDescription): expected \"utf8\" or \"base64\"") }
        return text
    }

    /// Runs `read` and names a failure by its full path in the arguments.
    private static func renamed<T>(_ field: String, _ read: () throws(ToolFailure) -> T) throws(ToolFailure) -> T {
        do {
            return try read()
        } catch {
            let reason = error.message.split(separator: ":", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? error.message
            throw .argument(field, reason)
        }
    }

    static func kind(of value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string, .data: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    private static func text(of value: Value) -> String? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONDecoder().decode(String.self, from: data)
    }
}
