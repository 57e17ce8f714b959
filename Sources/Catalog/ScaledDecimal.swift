/// Exact arithmetic on decimal text such as "1.5" times a unit such as 2^30, with no floating point,
/// so "1.5GiB" is exactly 1610612736 bytes and formatting gives back exactly what was parsed.
enum ScaledDecimal {
    enum Product: Equatable {
        case exact(UInt64)
        /// Not digits with at most one inner point ("1e3", "-1", ".5", "1.").
        case notANumber
        /// The product has a fraction: "0.1GiB" is 107374182.4 bytes.
        case fractional
        case tooLarge
    }

    /// `text` (plain decimal digits, optionally with one point between digits) times `unit`.
    static func multiply(_ text: Substring, by unit: UInt64) -> Product {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        var fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit)
        else { return .notANumber }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        // 10^19 is the largest power of ten in a UInt64; more decimals cannot come out whole for our units.
        guard fraction.count <= 19 else { return .fractional }

        var mantissa: UInt64 = 0
        for digit in Array(whole.utf8) + Array(fraction.utf8) {
            let (shifted, overflowA) = mantissa.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            if overflowA || overflowB { return .tooLarge }
            mantissa = next
        }
        var divisor: UInt64 = 1
        for _ in 0..<fraction.count { divisor *= 10 }

        let product = unit.multipliedFullWidth(by: mantissa)
        guard product.high < divisor else { return .tooLarge }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        return remainder == 0 ? .exact(quotient) : .fractional
    }

    /// `value / unit` written as exact decimal text ("1.5"), or nil when it needs more than
    /// `maxFractionDigits` decimals (10 seconds in minutes is 0.1666…).
    static func quotientText(_ value: UInt64, dividedBy unit: UInt64, maxFractionDigits: Int = 12) -> String? {
        var text = String(value / unit)
        var remainder = value % unit
        guard remainder != 0 else { return text }
        text += "."
        for _ in 0..<maxFractionDigits {
            // remainder < unit, and units stay far below UInt64.max / 10.
            remainder *= 10
            text += String(remainder / unit)
            remainder %= unit
            if remainder == 0 { return text }
        }
        return nil
    }

    /// The shortest exact text among `units`, given smallest first, e.g. "1.5GiB" rather than "1536MiB".
    /// Ties go to the smaller unit, which reads as a whole number ("512KiB", not "0.5MiB"), and so
    /// does anything under one of a unit ("500ms", not "0.5s").
    static func shortestText(_ value: UInt64, units: [(suffix: String, size: UInt64)]) -> String? {
        var best: String?
        for unit in units where value >= unit.size || unit.size == units[0].size {
            guard let number = quotientText(value, dividedBy: unit.size) else { continue }
            let candidate = number + unit.suffix
            if let current = best, current.count <= candidate.count { continue }
            best = candidate
        }
        return best
    }
}
