import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The request targets (path and query) of the API, with user-given parts percent-encoded.
package enum APITarget {
    package static let jobs = "/v1/jobs"
    package static let languages = "/v1/languages"
    package static let profiles = "/v1/profiles"

    package static func job(_ id: String) -> String { "/v1/jobs/\(component(id))" }

    package static func events(of id: String) -> String { "/v1/jobs/\(component(id))/events" }

    /// `/v1/jobs?status=&language=&limit=&after=`, leaving out what is nil.
    package static func jobs(status: String?, language: String?, limit: Int?, after: String?) -> String {
        let query: [(String, String?)] = [("status", status), ("language", language), ("limit", limit.map(String.init)), ("after", after)]
        let pairs = query.compactMap { name, value in value.map { "\(name)=\(component($0))" } }
        return pairs.isEmpty ? jobs : jobs + "?" + pairs.joined(separator: "&")
    }

    /// One path segment or query value: unreserved characters stay, everything else is %XX.
    package static func component(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded.unicodeScalars.append(contentsOf: ["%", hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return encoded
    }
}
