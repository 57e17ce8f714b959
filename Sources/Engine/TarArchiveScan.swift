import API
/// Reads a tar archive's headers (ustar, GNU long names, pax) without unpacking it, to refuse entries whose
/// names are absolute or contain ".." before anything is written, and to count what it holds. Unpacking then
/// happens inside the session's sandbox, where nothing outside /work is writable anyway.
struct TarArchiveScan {
    private(set) var files = 0
    private(set) var bytes: UInt64 = 0

    init(_ archive: [UInt8]) throws(APIError) {
        var offset = 0
        var longName: String?
        var paxPath: String?
        while offset + 512 <= archive.count {
            let header = archive[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { return }  // end of archive
            guard let size = Self.number(header, at: 124, length: 12) else {
                throw APIError("invalid_archive", "the entry at byte \(offset) has no valid size", field: "archive")
            }
            let type = header[header.startIndex + 156]
            let dataStart = offset + 512
            let dataEnd = dataStart + Int(clamping: size)
            guard dataEnd <= archive.count else {
                throw APIError("invalid_archive", "the archive ends inside an entry", field: "archive")
            }
            let data = archive[dataStart..<dataEnd]
            switch type {
            case UInt8(ascii: "L"):  // GNU: the next entry's long name
                longName = Self.string(data)
            case UInt8(ascii: "x"):  // pax: the next entry's attributes
                paxPath = Self.paxValue(data, key: "path") ?? paxPath
            case UInt8(ascii: "g"), UInt8(ascii: "K"):
                break
            default:
                var name = Self.string(header[(header.startIndex)..<(header.startIndex + 100)])
                let prefix = Self.string(header[(header.startIndex + 345)..<(header.startIndex + 500)])
                if !prefix.isEmpty && header[(header.startIndex + 257)..<(header.startIndex + 262)].elementsEqual("ustar".utf8) {
                    name = prefix + "/" + name
                }
                name = paxPath ?? longName ?? name
                longName = nil
                paxPath = nil
                try Self.check(name)
                if type == UInt8(ascii: "1") {  // a hard link names another entry
                    try Self.check(Self.string(header[(header.startIndex + 157)..<(header.startIndex + 257)]))
                }
                if type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7") {
                    files += 1
                    bytes += size
                }
            }
            offset = dataStart + (Int(clamping: size) + 511) / 512 * 512
        }
    }

    static func check(_ name: String) throws(APIError) {
        if name.hasPrefix("/") || name.split(separator: "/").contains("..") || name.utf8.contains(0) {
            throw APIError("invalid_path", "the archive entry \(name.debugDescription) would land outside /work", field: "path")
        }
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field, or a base-256 one (high bit set) as GNU writes large sizes.
    private static func number(_ header: ArraySlice<UInt8>, at offset: Int, length: Int) -> UInt64? {
        let field = header[(header.startIndex + offset)..<(header.startIndex + offset + length)]
        if let first = field.first, first & 0x80 != 0 {
            return field.dropFirst().reduce(UInt64(first & 0x7f)) { ($0 << 8) | UInt64($1) }
        }
        let digits = field.prefix { $0 != 0 && $0 != 0x20 }.drop { $0 == 0x20 }
        if digits.isEmpty { return 0 }
        return UInt64(String(decoding: digits, as: UTF8.self), radix: 8)
    }

    /// A pax record's value: records are "LEN key=value\n".
    private static func paxValue(_ data: ArraySlice<UInt8>, key: String) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        for record in text.split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let pair = record[record.index(after: space)...]
            if pair.hasPrefix(key + "=") { return String(pair.dropFirst(key.count + 1)) }
        }
        return nil
    }
}
