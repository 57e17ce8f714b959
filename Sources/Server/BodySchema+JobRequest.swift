extension BodySchema {
    /// `JobRequest`'s shape; `ServerTests` checks it against the keys `JobRequest` actually encodes.
    static let jobRequest = BodySchema.object([
        "language": .string,
        "source": .string,
        "files": .array(of: .object(["path": .string, "content": .string, "encoding": .string])),
        "stdin": .string,
        "args": .array(of: .string),
        "profile": .string,
        "limits": .object([
            "wall_time": .string, "cpu_time": .string, "memory": .string, "cpus": .number, "pids": .integer,
            "output": .string,
        ]),
        "wait": .boolean,
        "kind": .string,
        "image": .string,
        "steps": .array(of: .object([
            "cmd": .oneOf([.string, .array(of: .string)]), "stdin": .string, "env": .dictionary(of: .string),
            "cwd": .string, "timeout": .string,
        ])),
        "stop_on_failure": .boolean,
    ])
}
