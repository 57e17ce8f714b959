/// What an admin action did: `action` ("drain", "resume", "emergency_stop"), a sentence for people, and for an
/// emergency stop how many sandboxes were killed.
public struct AdminActionReport: Sendable, Codable, Equatable {
    public var action: String
    public var message: String
    public var killed: Int?

    public init(action: String, message: String, killed: Int? = nil) {
        self.action = action
        self.message = message
        self.killed = killed
    }
}
