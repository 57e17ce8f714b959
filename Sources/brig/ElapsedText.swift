import BrigCommandLine
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Times as a person reads them in a table or a progress line.
enum ElapsedText {
    /// "0.4s", "12.3s": a progress line's elapsed time.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return DecimalText.fixed(Double(seconds) + Double(attoseconds) / 1e18, digits: 1) + "s"
    }

    /// "12s", "5m", "3h", "2d": how long ago.
    static func age(of date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }
}
