import Foundation
import Synchronization

/// One run of the built `brig` executable, as a user would run it: arguments, stdin, and what came back.
struct BrigInvocation {
    let status: Int32
    let stdout: String
    let stderr: String

    private static let counter = Atomic<Int>(0)

    /// The `brig` executable built beside this test bundle.
    static let executable: String = {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("brig").path
    }()

    /// A clean environment: no BRIG_SOCKET unless given.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["PATH": "/usr/bin:/bin"].merging(extra) { $1 }
    }

    static func run(
        _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:], launcher: [String] = [],
        executable: String = executable
    ) throws -> BrigInvocation {
        let process = Process()
        if launcher.isEmpty {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + [executable] + arguments
        }
        process.environment = environment(extra)
        let output = Pipe(), input = Pipe()
        // stderr into a file: a full stderr pipe must not stall brig while the test reads stdout.
        let errorPath = NSTemporaryDirectory() + "brig-client-stderr-\(getpid())-\(counter.add(1, ordering: .relaxed).newValue)"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        try errors.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = FileManager.default.contents(atPath: errorPath) ?? Data()
        return BrigInvocation(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }
}
