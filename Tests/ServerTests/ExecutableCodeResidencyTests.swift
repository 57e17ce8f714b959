import Foundation
import Server
import Testing

/// The daemon's start-up code leaves its resident set: trimming this test process's own executable unmaps its
/// text, and the code it runs afterwards comes back as it runs.
@Suite struct ExecutableCodeResidencyTests {
    /// Rss and Size (KiB) of this process's executable text mapping, from /proc/self/smaps.
    static func textMapping() throws -> (rss: Int, size: Int) {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let smaps = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? smaps.close() }
        let lines = String(decoding: smaps.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        var inText = false
        var size = 0
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 6, fields[0].contains("-"), !fields[0].hasSuffix(":") {
                inText = fields[1] == "r-xp" && fields[5...].joined(separator: " ") == executable
            } else if inText, fields.first == "Size:" {
                size = Int(fields[1]) ?? 0
            } else if inText, fields.first == "Rss:" {
                return (Int(fields[1]) ?? 0, size)
            }
        }
        Issue.record("no r-xp mapping of \(executable) in /proc/self/smaps")
        return (0, 0)
    }

    @Test func trimmingUnmapsTheExecutablesTextAndItStillRuns() throws {
        let before = try Self.textMapping()
        let unmapped = ExecutableCodeResidency.trim()
        let after = try Self.textMapping()
        #expect(unmapped == before.size * 1024, "the whole text mapping is advised")
        // What is left is the code run between the two reads (the trim's own return and the smaps parser).
        #expect(after.rss < before.rss / 2, "text resident before \(before.rss) KiB, after \(after.rss) KiB")
        // Code runs on, mapped back as it runs.
        let again = try Self.textMapping()
        #expect(again.size == before.size)
        #expect(again.rss > 0)
    }
}
