import ArgumentParser
import Foundation
import Glibc

/// `brig mcp`: hands the process to `brig-mcp`, installed beside brig, which serves the Model Context Protocol.
/// It is an executable of its own so that the MCP SDK's networking stack (libcurl and the libraries it loads)
/// stays out of every other command's start-up and out of the daemon's memory.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Model Context Protocol on stdin/stdout: sandbox tools for AI agents.",
        discussion: """
            Runs brig-mcp from brig's own folder with the same arguments; `brig mcp --help` shows its options \
            and a client configuration.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "brig-mcp's options (see brig mcp --help).")
    var arguments: [String] = []

    func run() throws {
        let server = Self.serverPath()
        let argv = [server] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        execv(server, cArguments)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("brig mcp: cannot run \(server): \(reason) (brig-mcp is built and installed beside brig)\n".utf8))
        throw ExitCode(errno == ENOENT ? 127 : 126)
    }

    /// brig-mcp beside the running brig executable (symbolic links resolved, as an installed brig may be one).
    static func serverPath() -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (executable as NSString).deletingLastPathComponent + "/brig-mcp"
    }
}
