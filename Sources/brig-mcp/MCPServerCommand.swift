import ArgumentParser
import DaemonClient
import MCP

/// `brig mcp` (which runs this executable): the Model Context Protocol over stdio, backed by the local daemon,
/// for agents' frameworks.
@main
struct MCPServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brig mcp",
        abstract: "Serve the Model Context Protocol on stdin/stdout: sandbox tools for AI agents.",
        discussion: """
            An MCP client starts `brig mcp` and talks JSON-RPC to it over its stdin and stdout; brig turns \
            each tool call into requests to the local daemon (`brig serve`), which must be running. Tools: \
            run_code, create_sandbox, exec, write_file, read_file, list_files, close_sandbox. Each answers \
            one JSON object with the status taxonomy; a daemon error or bad input comes back as a tool \
            error (isError) naming the code and the reason. stdout carries only protocol messages; brig's \
            own lines go to stderr.

            A client's configuration (Claude Desktop, Cursor, ... use this shape):
              {"mcpServers": {"brig": {"command": "brig", "args": ["mcp", "--socket", "/run/brig/brig.sock"]}}}
            """
    )

    @Option(help: ArgumentHelp(
        "The daemon's Unix socket.",
        discussion: "Default: $BRIG_SOCKET, then <checkout>/.brig/brig.sock when brig was built in a checkout, then /run/brig/brig.sock.",
        valueName: "path"))
    var socket: String = DefaultPaths.socket

    func validate() throws {
        if socket.isEmpty { throw ValidationError("--socket: give the path of the daemon's socket") }
    }

    func run() async throws {
        let toolbox = SandboxToolbox(client: UnixHTTPClient(socketPath: socket))
        let server = Server(
            name: "brig", version: "0.4.0", title: "brig sandboxes",
            instructions: """
                Run untrusted code in Linux sandboxes. run_code runs one snippet; for a project, create_sandbox, \
                write files, exec build and test commands, read results, and close_sandbox when done.
                """,
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: SandboxToolCatalog.tools)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            guard SandboxToolCatalog.names.contains(parameters.name) else {
                throw MCPError.invalidParams("no tool \(parameters.name.debugDescription) (tools: \(SandboxToolCatalog.names.joined(separator: ", ")))")
            }
            return await toolbox.call(parameters.name, arguments: parameters.arguments ?? [:])
        }
        StandardStream.error.write("brig mcp: serving the Model Context Protocol on stdio; daemon at \(socket)\n")
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
