import Foundation
import TestSupport
import Testing

/// `brig serve`, `brig bench` and `brig mcp` hand the process to an executable beside the real brig: through a
/// symbolic link it is still found (and answers as `brig`), and a brig copied away from it says what is missing.
@Suite struct HandOffTests {
    struct HandOff: Sendable, CustomTestStringConvertible {
        let command: String
        let executable: String
        let usage: String
        /// Arguments that would make it do its work (never reached here: it is missing).
        let work: [String]
        var testDescription: String { "brig \(command) -> \(executable)" }
    }

    static let handOffs = [
        HandOff(command: "serve", executable: "brig-daemon", usage: "USAGE: brig serve [--catalog <catalog>]", work: ["--socket", "/nowhere/brig.sock"]),
        HandOff(command: "bench", executable: "brig-daemon", usage: "USAGE: brig bench <options>", work: ["--runs", "1"]),
        HandOff(command: "mcp", executable: "brig-mcp", usage: "USAGE: brig mcp [--socket <path>]", work: ["--socket", "/nowhere"]),
    ]

    @Test(arguments: handOffs) func theExecutableIsFoundBesideTheRealBrig(_ handOff: HandOff) throws {
        let folder = NSTemporaryDirectory() + "brig-beside-\(getpid())-\(handOff.command)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let link = folder + "/linked-brig", copy = folder + "/brig"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: BrigInvocation.executable)
        try FileManager.default.copyItem(atPath: BrigInvocation.executable, toPath: copy)

        let linked = try BrigInvocation.run([handOff.command, "--help"], executable: link)
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(linked.stdout.contains(handOff.usage), "\(linked.stdout)")

        let alone = try BrigInvocation.run([handOff.command] + handOff.work, executable: copy)
        #expect(alone.status == 127)
        #expect(
            alone.stderr.contains("brig \(handOff.command): cannot run \(folder)/\(handOff.executable): No such file or directory"),
            "\(alone.stderr)")
        #expect(alone.stdout.isEmpty)
    }
}
