/// A number with a fixed count of fraction digits, as `%.Nf` would print it, without Foundation's
/// `String(format:)`: that one sets up locale data and bridges its arguments on first use, about half a
/// millisecond of `brig run`'s start-up for the one summary line.
package enum DecimalText {
    /// `value` rounded to `digits` fraction digits (half away from zero): fixed(2.345, 1) == "2.3",
    /// fixed(0.05, 1) == "0.1", fixed(12, 0) == "12", fixed(-1.5, 2) == "-1.50".
    package static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * Double(scale)).rounded(.toNearestOrAwayFromZero)
        // Beyond Int's exact range (and for inf and nan) there is nothing to round: print it whole.
        guard scaled.isFinite, scaled.magnitude < 1e15 else { return "\(value)" }
        let units = Int(scaled)
        let sign = units < 0 ? "-" : ""
        let whole = String(units.magnitude / UInt(scale))
        guard digits > 0 else { return sign + whole }
        let fraction = String(units.magnitude % UInt(scale))
        return sign + whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
