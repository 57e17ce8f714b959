import MCP

/// The tools `brig mcp` offers, with the JSON Schema of each one's input. Every tool answers with one JSON
/// object as text (and as structured content); runs carry the status taxonomy: status, exit_code, stdout,
/// stderr, truncation, timings and a message saying in words how the run ended.
enum SandboxToolCatalog {
    static let names = ["run_code", "create_sandbox", "exec", "write_file", "read_file", "list_files", "close_sandbox"]

    static var tools: [Tool] { [runCode, createSandbox, exec, writeFile, readFile, listFiles, closeSandbox] }

    /// The arguments each tool takes (its schema's properties), for refusing unknown ones.
    static func accepted(by tool: String) -> [String] {
        guard let schema = tools.first(where: { $0.name == tool })?.inputSchema.objectValue,
              let properties = schema["properties"]?.objectValue else { return [] }
        return properties.keys.sorted()
    }

    private static let sandboxID: Value = [
        "type": "string", "description": "The sandbox's id, from create_sandbox (\"s_...\").", "minLength": 1,
    ]

    private static let workspacePath: Value = [
        "type": "string",
        "description": "A path in the sandbox's workspace, relative to /work (\"src/main.c\") or starting with /work/. No \"..\".",
    ]

    private static let duration: Value = [
        "type": ["string", "number"],
        "description": "A duration such as \"30s\", \"500ms\", \"2m\", or a number of seconds.",
    ]

    static let runCode = Tool(
        name: "run_code",
        title: "Run code",
        description: """
            Runs a snippet in a fresh, isolated sandbox (no network, CPU, memory and time limits) and waits \
            for it. Compiled languages are compiled first; a failed compile ends with status compile_error and \
            the compiler's output in stderr. Answers JSON: status (ok, exit_nonzero, compile_error, timeout, \
            oom, signaled, seccomp, output_limit, cancelled, lost, internal_error), exit_code, stdout, stderr, \
            truncation, timings and a message. Nothing persists after it: use create_sandbox for several steps.
            """,
        inputSchema: [
            "type": "object",
            "properties": [
                "language": ["type": "string", "description": "The language: python, c, cpp, javascript, go, java, ruby, perl, bash, ... (an unknown one is refused with the list)."],
                "code": ["type": "string", "description": "The program's source."],
                "stdin": ["type": "string", "description": "Text given to the program on its standard input."],
                "profile": ["type": "string", "description": "The daemon's resource profile (default \"default\")."],
            ],
            "required": ["language", "code"],
            "additionalProperties": false,
        ],
        annotations: .init(title: "Run code", readOnlyHint: false, destructiveHint: false, openWorldHint: false)
    )

    static let createSandbox = Tool(
        name: "create_sandbox",
        title: "Create a sandbox",
        description: """
            Creates a persistent sandbox: a workspace (/work) kept across exec calls, until close_sandbox, its \
            lifetime (ttl) or its idle time (idle_ttl) ends it. Optionally puts files in it. Answers JSON with \
            sandbox_id (give it to exec, write_file, read_file, list_files, close_sandbox), its state, image, \
            profile, caps and when it expires.
            """,
        inputSchema: [
            "type": "object",
            "properties": [
                "image": ["type": "string", "description": "The sandbox image (default \"host\")."],
                "profile": ["type": "string", "description": "The resource profile: per-step limits and the sandbox's caps (default \"default\")."],
                "ttl": ["type": ["string", "number"], "description": "The longest lifetime, e.g. \"1h\" (or seconds); the daemon's default when absent."],
                "idle_ttl": ["type": ["string", "number"], "description": "End the sandbox after this long without a call, e.g. \"10m\" (or seconds)."],
                "files": [
                    "type": "array",
                    "description": "Files to put in the workspace before anything runs.",
                    "items": [
                        "type": "object",
                        "properties": [
                            "path": ["type": "string", "description": "Relative to /work; parent folders are created."],
                            "content": ["type": "string", "description": "The file's content: text, or base64 with encoding \"base64\"."],
                            "encoding": ["type": "string", "enum": ["utf8", "base64"], "description": "How content is written (default utf8)."],
                        ],
                        "required": ["path", "content"],
                        "additionalProperties": false,
                    ],
                ],
            ],
            "additionalProperties": false,
        ],
        annotations: .init(title: "Create a sandbox", readOnlyHint: false, destructiveHint: false, openWorldHint: false)
    )

    static let exec = Tool(
        name: "exec",
        title: "Run a command in a sandbox",
        description: """
            Runs a command in a sandbox's workspace (fresh namespaces and limits per command; /work persists) \
            and waits for it, unless background is true: then it keeps running (a server a later command talks \
            to over 127.0.0.1) and the answer says it started. cmd is an argv array (run as is) or a string \
            (run with /bin/sh -c). Answers JSON: status, exit_code, stdout, stderr, truncation, timings, message, \
            step_id.
            """,
        inputSchema: [
            "type": "object",
            "properties": [
                "sandbox_id": sandboxID,
                "cmd": [
                    "description": "The command: an argv array such as [\"make\", \"test\"], or a shell line such as \"make && ./prog < in.txt\".",
                    "anyOf": [
                        ["type": "array", "items": ["type": "string"], "minItems": 1],
                        ["type": "string", "minLength": 1],
                    ],
                ],
                "stdin": ["type": "string", "description": "Text given to the command on its standard input."],
                "cwd": ["type": "string", "description": "The working folder: /work (default) or under it."],
                "env": ["type": "object", "additionalProperties": ["type": "string"], "description": "Environment variables to set."],
                "timeout": duration,
                "background": ["type": "boolean", "description": "Start it and return at once (default false)."],
            ],
            "required": ["sandbox_id", "cmd"],
            "additionalProperties": false,
        ],
        annotations: .init(title: "Run a command in a sandbox", readOnlyHint: false, destructiveHint: true, openWorldHint: false)
    )

    static let writeFile = Tool(
        name: "write_file",
        title: "Write a file in a sandbox",
        description: "Writes (creates or replaces) a file in a sandbox's workspace; parent folders are created. Answers JSON with the file's path, size and mode.",
        inputSchema: [
            "type": "object",
            "properties": [
                "sandbox_id": sandboxID,
                "path": workspacePath,
                "content": ["type": "string", "description": "The content: text, or base64 with encoding \"base64\"."],
                "encoding": ["type": "string", "enum": ["utf8", "base64"], "description": "How content is given (default utf8)."],
                "mode": ["type": "string", "pattern": "^0?[0-7]{3}$", "description": "Permissions in octal, e.g. \"0755\" for a script (default 0644)."],
            ],
            "required": ["sandbox_id", "path", "content"],
            "additionalProperties": false,
        ],
        annotations: .init(title: "Write a file in a sandbox", readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)
    )

    static let readFile = Tool(
        name: "read_file",
        title: "Read a file in a sandbox",
        description: "Reads a file of a sandbox's workspace. Answers JSON with content (text, or base64 when it is not UTF-8: see encoding), size, and truncated when more than max_bytes.",
        inputSchema: [
            "type": "object",
            "properties": [
                "sandbox_id": sandboxID,
                "path": workspacePath,
                "max_bytes": ["type": "integer", "minimum": 1, "maximum": 16_777_216, "description": "Return at most this many bytes (default 1048576)."],
            ],
            "required": ["sandbox_id", "path"],
            "additionalProperties": false,
        ],
        annotations: .init(title: "Read a file in a sandbox", readOnlyHint: true, openWorldHint: false)
    )

    static let listFiles = Tool(
        name: "list_files",
        title: "List files in a sandbox",
        description: "Lists a folder of a sandbox's workspace (default /work): each entry's path, type (file, directory, symlink), size, mode and modification time.",
        inputSchema: [
            "type": "object",
            "properties": [
                "sandbox_id": sandboxID,
                "path": workspacePath,
                "recursive": ["type": "boolean", "description": "List everything under the folder (default false)."],
            ],
            "required": ["sandbox_id"],
            "additionalProperties": false,
        ],
        annotations: .init(title: "List files in a sandbox", readOnlyHint: true, openWorldHint: false)
    )

    static let closeSandbox = Tool(
        name: "close_sandbox",
        title: "Close a sandbox",
        description: "Ends a sandbox: its commands are killed and its workspace removed. Answers JSON with its final state and usage.",
        inputSchema: [
            "type": "object",
            "properties": ["sandbox_id": sandboxID],
            "required": ["sandbox_id"],
            "additionalProperties": false,
        ],
        annotations: .init(title: "Close a sandbox", readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)
    )
}
