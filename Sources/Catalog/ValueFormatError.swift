/// Text that does not say a value of the kind expected ("512XB" for a size, "10" for a duration).
/// The reader of an operator's file wraps it into a `CatalogError` that adds the file and key.
public struct ValueFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
