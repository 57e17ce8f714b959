import TOMLKit

/// Reads one table of an operator's TOML file. Every mistake becomes a `CatalogError` naming the file and the
/// dotted key; nothing unexpected is skipped, so a typo never turns into a silent default.
struct TableReader {
    let table: TOMLTable
    let file: String
    /// The dotted key of this table ("limits"), empty at the top of the file.
    let path: String

    /// Refuses any key outside `keys` (nil allows any), suggesting the closest known one. `elsewhere` are
    /// dotted keys of other tables, offered when a key was written in the wrong table ("limits.memory").
    init(_ table: TOMLTable, file: String, path: String = "", keys: [String]?, elsewhere: [String] = []) throws(CatalogError) {
        self.table = table
        self.file = file
        self.path = path
        guard let keys else { return }
        for key in table.keys.sorted() where !keys.contains(key) {
            let hint: String
            if let near = NearestName.closest(to: key, among: keys + elsewhere, comparing: { $0.split(separator: ".").last.map(String.init) ?? $0 }) {
                hint = "did you mean \"\(near)\"?"
            } else {
                hint = "known keys are " + keys.map { "\"\($0)\"" }.joined(separator: ", ")
            }
            throw CatalogError(file: file, key: dotted(key), reason: "unknown key; \(hint)")
        }
    }

    /// The top table of a whole file; syntax errors come back with their line and column.
    static func parse(_ text: String, file: String) throws(CatalogError) -> TOMLTable {
        if let at = firstNULEscape(in: text) {
            throw CatalogError(
                file: file, key: nil,
                reason: "line \(at.line), column \(at.column): a NUL character (\\u0000) cannot be used: strings end there")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw CatalogError(
                file: file, key: nil,
                reason: "TOML syntax error at line \(at.line), column \(at.column): \(error.description)")
        } catch {
            throw CatalogError(file: file, key: nil, reason: "cannot parse TOML: \(error)")
        }
    }

    /// TOMLKit hands strings over as C strings, so "C\u0000X" would silently arrive as "C"; such escapes are
    /// refused before parsing. Written NUL bytes need no check: the TOML parser refuses them.
    static func firstNULEscape(in text: String) -> (line: Int, column: Int)? {
        // Bytes, not Characters: every file of the catalog passes here on each `brig run`, and breaking text
        // into grapheme clusters cost more than parsing it. A backslash and "u"/"U" are ASCII, never part of a
        // longer UTF-8 sequence.
        let bytes = Array(text.utf8)
        let backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n"), zero = UInt8(ascii: "0")
        var line = 1, lineStart = 0, position = 0
        while position < bytes.count {
            switch bytes[position] {
            case newline:
                line += 1
                lineStart = position + 1
                position += 1
            case backslash:
                // A backslash escapes the next character: in "\\u0000" the second backslash is plain text.
                let next = position + 1 < bytes.count ? bytes[position + 1] : 0
                let digits = next == UInt8(ascii: "u") ? 4 : next == UInt8(ascii: "U") ? 8 : 0
                if digits > 0, position + 1 + digits < bytes.count,
                   bytes[(position + 2)...(position + 1 + digits)].allSatisfy({ $0 == zero }) {
                    let column = String(decoding: bytes[lineStart..<position], as: UTF8.self).count + 1
                    return (line, column)
                }
                position += next == newline ? 1 : 2
            default:
                position += 1
            }
        }
        return nil
    }

    var keys: [String] { table.keys.sorted() }

    func dotted(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    func error(_ key: String, _ reason: String) -> CatalogError {
        CatalogError(file: file, key: dotted(key), reason: reason)
    }

    func string(_ key: String) throws(CatalogError) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw mistyped(key, value, expected: "a string") }
        return text
    }

    func integer(_ key: String) throws(CatalogError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw mistyped(key, value, expected: "an integer") }
        return number
    }

    /// An integer or a floating-point number ("cpus = 1" and "cpus = 1.5" both read).
    func number(_ key: String) throws(CatalogError) -> Double? {
        guard let value = table[key] else { return nil }
        if let number = value.double {
            guard number.isFinite else { throw error(key, "must be a finite number") }
            return number
        }
        guard let number = value.int else { throw mistyped(key, value, expected: "a number") }
        return Double(number)
    }

    /// A size string ("256MiB"), or an integer taken as bytes.
    func byteSize(_ key: String) throws(CatalogError) -> ByteSize? {
        guard let value = table[key] else { return nil }
        if let bytes = value.int {
            guard bytes >= 0 else { throw error(key, "\(bytes) is not a size: it is below 0") }
            return ByteSize(bytes: UInt64(bytes))
        }
        guard let text = value.string else { throw mistyped(key, value, expected: "a size such as \"256MiB\"") }
        do {
            return try ByteSize(parsing: text)
        } catch {
            throw self.error(key, error.reason)
        }
    }

    /// A duration string ("10s"); a bare integer is refused as its unit would be a guess.
    func duration(_ key: String) throws(CatalogError) -> Duration? {
        guard let value = table[key] else { return nil }
        if let written = value.int.map({ String($0) }) ?? value.double.map({ "\($0)" }) {
            throw error(key, "\(written) has no unit: write it as a string such as \"\(written)s\"")
        }
        guard let text = value.string else { throw mistyped(key, value, expected: "a duration such as \"10s\"") }
        do {
            return try DurationText(parsing: text).duration
        } catch {
            throw self.error(key, error.reason)
        }
    }

    /// One of an enumeration's raw values, spelled exactly.
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, of type: Choice.Type) throws(CatalogError) -> Choice?
    where Choice.RawValue == String {
        guard let text = try string(key) else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let names = Choice.allCases.map(\.rawValue)
        let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
        if names.count == 1 {
            throw error(key, "\"\(text)\" is not supported: the only choice is \(list)")
        }
        throw error(key, "\"\(text)\" is not one of \(list)")
    }

    /// A sub-table, read with the same rules.
    func table(_ key: String, keys: [String]?, elsewhere: [String] = []) throws(CatalogError) -> TableReader? {
        guard let value = table[key] else { return nil }
        guard let nested = value.table else { throw mistyped(key, value, expected: "a table") }
        return try TableReader(nested, file: file, path: dotted(key), keys: keys, elsewhere: elsewhere)
    }

    func stringArray(_ key: String) throws(CatalogError) -> [String]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw mistyped(key, value, expected: "an array of strings") }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.string else {
                throw error(key, "item \(index + 1) is \(Self.describe(element.type)), expected a string")
            }
            strings.append(text)
        }
        return strings
    }

    func integerArray(_ key: String) throws(CatalogError) -> [Int]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw mistyped(key, value, expected: "an array of integers") }
        var integers: [Int] = []
        for (index, element) in array.enumerated() {
            guard let number = element.int else {
                throw error(key, "item \(index + 1) is \(Self.describe(element.type)), expected an integer")
            }
            integers.append(number)
        }
        return integers
    }

    private func mistyped(_ key: String, _ value: TOMLValueConvertible, expected: String) -> CatalogError {
        error(key, "expected \(expected), got \(Self.describe(value.type))")
    }

    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a floating-point number"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }
}
