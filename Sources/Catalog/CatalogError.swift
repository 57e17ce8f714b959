/// A problem in an operator's file: which file, which key, and why.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let key: String?
    public let reason: String

    public init(file: String, key: String?, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key { return "\(file): \(key): \(reason)" }
        return "\(file): \(reason)"
    }
}
