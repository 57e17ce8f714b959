extension BodySchema {
    static let requestedLimits = BodySchema.object([
        "wall_time": .string, "cpu_time": .string, "memory": .string, "cpus": .number, "pids": .integer, "output": .string,
    ])

    /// `SessionRequest`'s shape.
    static let sessionRequest = BodySchema.object([
        "image": .string,
        "profile": .string,
        "ttl": .string,
        "idle_ttl": .string,
        "files": .array(of: .object(["path": .string, "content": .string, "encoding": .string])),
        "limits": requestedLimits,
    ])

    /// `ExecRequest`'s shape.
    static let execRequest = BodySchema.object([
        "cmd": .oneOf([.string, .array(of: .string)]),
        "stdin": .string,
        "env": .dictionary(of: .string),
        "cwd": .string,
        "timeout": .string,
        "limits": requestedLimits,
        "background": .boolean,
        "wait": .boolean,
    ])

    static let signalRequest = BodySchema.object(["signal": .oneOf([.string, .integer])])

    static let stepInput = BodySchema.object(["data": .string, "encoding": .string, "close": .boolean])
}
