import ArgumentParser
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig mcp`: hands the process to `brig-mcp`, installed beside brig, which serves the Model Context Protocol.
/// It is an executable of its own so that the MCP SDK's networking stack (libcurl and the libraries it loads)
/// stays out of every other command's start-up and out of the daemon's memory.
struct MCPCommand: HandOffCommand {
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

    static let target = (executable: "brig-mcp", leading: [String]())
}
