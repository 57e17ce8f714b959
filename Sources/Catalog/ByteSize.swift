/// A number of bytes as operators write it: "256MiB", "1.5GiB", "64MB", "1000".
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: UInt64

    public init(bytes: UInt64) {
        self.bytes = bytes
    }

    /// Binary units (KiB = 1024) and decimal ones (kB = 1000); a bare number is bytes.
    /// The number may have decimals as long as the result is a whole number of bytes.
    public init(parsing text: String) throws(ValueFormatError) {
        let trimmed = text.trimmingSpaces
        let numberEnd = trimmed.firstIndex { !$0.isASCIIDigit && $0 != "." } ?? trimmed.endIndex
        let number = trimmed[..<numberEnd]
        let suffix = String(trimmed[numberEnd...].drop { $0 == " " })
        guard let unit = Self.unit(suffix) else { throw Self.notASize(text) }
        switch ScaledDecimal.multiply(number, by: unit) {
        case .exact(let bytes): self.bytes = bytes
        case .notANumber: throw Self.notASize(text)
        case .fractional:
            throw ValueFormatError(reason: "\"\(text)\" is not a whole number of bytes: use a smaller unit")
        case .tooLarge: throw ValueFormatError(reason: "\"\(text)\" is too large")
        }
    }

    /// The shortest exact binary form: "256MiB", "1.5GiB", "1000B".
    public var description: String {
        if bytes == 0 { return "0B" }
        return ScaledDecimal.shortestText(bytes, units: Self.binaryUnits) ?? "\(bytes)B"
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    private static let binaryUnits: [(suffix: String, size: UInt64)] = [
        ("B", 1), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
    ]

    /// A switch, not a dictionary: the first use of a `[String: UInt64]` built its metadata at run time, with a
    /// scan of every protocol conformance in the binary (~0.15 ms of each `brig run`).
    private static func unit(_ suffix: String) -> UInt64? {
        switch suffix {
        case "", "B": 1
        case "KiB": 1 << 10
        case "MiB": 1 << 20
        case "GiB": 1 << 30
        case "kB": 1_000
        case "MB": 1_000_000
        case "GB": 1_000_000_000
        default: nil
        }
    }

    private static func notASize(_ text: String) -> ValueFormatError {
        ValueFormatError(reason: "\"\(text)\" is not a size: use a number with B, KiB, MiB, GiB (or kB, MB, GB)")
    }
}
