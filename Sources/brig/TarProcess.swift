import DaemonClient
import Foundation

/// Folders packed and unpacked with the system's GNU tar, for the session archive endpoints. GNU tar's own
/// defaults guard extraction: it drops leading "/" and members with "..", and creates symlinks only after the
/// files, so a symlink in an archive cannot redirect a later member outside the destination.
enum TarProcess {
    /// A ustar archive of everything under `folder`, its members named `prefix/...` (the folder itself `prefix/`).
    static func pack(_ folder: String, as prefix: String) throws(ClientError) -> [UInt8] {
        // The replacement text of --transform's s|||: \, & and the delimiter would mean something else.
        var replacement = ""
        for character in prefix {
            if character == "\\" || character == "&" || character == "|" { replacement.append("\\") }
            replacement.append(character)
        }
        let arguments = [
            "--format=ustar", "--owner=0", "--group=0", "--numeric-owner", "-c", "-f", "-", "-C", folder,
            // S: leave symlink targets as they are; only member names move under the prefix.
            "--transform", "s|^\\./|\(replacement)/|S", ".",
        ]
        return try run(arguments, input: nil, what: "packing \(folder)")
    }

    /// Unpacks `archive` into `folder` (which exists), without taking the members' owners.
    static func unpack(_ archive: [UInt8], into folder: String) throws(ClientError) {
        _ = try run(["-x", "-f", "-", "-C", folder, "--no-same-owner"], input: archive, what: "unpacking the archive into \(folder)")
    }

    private static var executable: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tar") ? "/usr/bin/tar" : "/bin/tar"
    }

    private static func run(_ arguments: [String], input: [UInt8]?, what: String) throws(ClientError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let stdin = Pipe()
        // Warnings into a file nobody has to drain while the archive flows through the pipes.
        let errorPath = NSTemporaryDirectory() + "brig-tar-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        do {
            let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
            process.standardError = errors
            process.standardOutput = input == nil ? output : FileHandle.nullDevice
            process.standardInput = input == nil ? FileHandle.nullDevice : stdin
            try process.run()
            try errors.close()
        } catch {
            throw ClientError("\(what): cannot run \(executable) (\(error.localizedDescription))", exitCode: .unavailable)
        }
        var produced = Data()
        if let input {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        } else {
            produced = output.fileHandleForReading.readDataToEndOfFile()
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw ClientError(
                "\(what): tar failed (exit \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))",
                exitCode: .usage)
        }
        return Array(produced)
    }
}
