/// Who is on the other end of the socket, from SO_PEERCRED. Operators see and manage every job; other
/// clients only their own.
public struct Peer: Sendable, Equatable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var isOperator: Bool

    public init(uid: UInt32, gid: UInt32, pid: Int32, isOperator: Bool) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.isOperator = isOperator
    }
}
