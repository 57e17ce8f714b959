import Foundation
import Store

extension JobRecord {
    /// A queued job with a recognisable request body.
    static func sample(
        _ id: String, owner: UInt32 = 1000, language: String = "python", status: String = "queued",
        createdAt: Date = Date(timeIntervalSince1970: 1_750_000_000.123456)
    ) -> JobRecord {
        JobRecord(
            id: id, owner: owner, language: language, profile: "default", status: status,
            request: Data(#"{"language":"\#(language)","source":"print(1)"}"#.utf8), createdAt: createdAt)
    }
}

extension JobStore {
    /// Inserts `count` queued jobs "<prefix>-0" ... in that order; returns them as stored.
    func insertSamples(
        _ count: Int, prefix: String = "j", owner: UInt32 = 1000, language: String = "python"
    ) throws -> [JobRecord] {
        try (0..<count).map { index in
            try insert(.sample("\(prefix)-\(index)", owner: owner, language: language))
        }
    }
}
