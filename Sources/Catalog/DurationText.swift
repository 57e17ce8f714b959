/// A duration as operators write it: "10s", "500ms", "2m", "1.5s", "1h".
public struct DurationText: Sendable, Hashable, CustomStringConvertible {
    public var duration: Duration

    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// A number (decimals allowed) with a unit; a bare number is refused because "10" could mean seconds or
    /// milliseconds. The result is kept to the nanosecond and must be a whole number of them.
    public init(parsing text: String) throws(ValueFormatError) {
        let trimmed = text.trimmingSpaces
        let numberEnd = trimmed.firstIndex { !$0.isASCIIDigit && $0 != "." } ?? trimmed.endIndex
        let number = trimmed[..<numberEnd]
        let suffix = String(trimmed[numberEnd...].drop { $0 == " " })
        guard let unit = Self.units.first(where: { $0.suffix == suffix }) else { throw Self.notADuration(text) }
        switch ScaledDecimal.multiply(number, by: unit.size) {
        case .exact(let nanoseconds) where nanoseconds <= UInt64(Int64.max):
            duration = .nanoseconds(Int64(nanoseconds))
        case .exact, .tooLarge: throw ValueFormatError(reason: "\"\(text)\" is too long")
        case .notANumber: throw Self.notADuration(text)
        case .fractional: throw ValueFormatError(reason: "\"\(text)\" is finer than a nanosecond")
        }
    }

    /// The shortest exact form: "10s", "1.5s", "500ms", "2m".
    public var description: String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanoseconds.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !nanoseconds.overflow, !total.overflow else { return "\(duration)" }
        if total.partialValue == 0 { return "0s" }
        let sign = total.partialValue < 0 ? "-" : ""
        let magnitude = total.partialValue.magnitude
        return sign + (ScaledDecimal.shortestText(magnitude, units: Self.units) ?? "\(magnitude)ns")
    }

    private static let units: [(suffix: String, size: UInt64)] = [
        ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    private static func notADuration(_ text: String) -> ValueFormatError {
        ValueFormatError(reason: "\"\(text)\" is not a duration: use a number with h, m, s, ms (or us, ns), e.g. \"10s\" or \"1.5s\"")
    }
}
