/// Request bodies.
extension ClientJSON {
    /// A request as JSON bytes; failing to encode it is a bug, reported as a usage error naming the type.
    package static func body<Value: Encodable>(_ value: Value) throws(ClientError) -> [UInt8] {
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw ClientError("encoding the \(Value.self): \(error)", exitCode: .usage)
        }
    }
}
