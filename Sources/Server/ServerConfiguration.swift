import API
import Engine

/// How `BrigServer` listens and whom it treats as an operator.
public struct ServerConfiguration: Sendable {
    /// The Unix socket clients connect to (`curl --unix-socket PATH http://brig/v1/...`).
    public var socketPath: String
    /// Set on the socket file right after bind: owner and group may connect, nobody else.
    public var socketMode: UInt32
    /// The socket file's group, so its members may connect (0660); nil keeps the daemon's group (root).
    public var socketGroup: UInt32?
    /// Larger request bodies are refused with 413 `body_too_large` before they are parsed.
    public var maxRequestBodyBytes: Int
    /// Peers with one of these uids are operators (uid 0 always is).
    public var operatorUIDs: Set<UInt32>
    /// Peers whose primary or supplementary group is one of these are operators.
    public var operatorGIDs: Set<UInt32>
    /// How long a graceful shutdown may take (open event streams, `wait` requests) before the rest is cancelled.
    public var shutdownGracePeriod: Duration
    /// For tests only: a loopback TCP listener, whose peers all get one configured identity.
    public var testListener: TestListener?

    public init(
        socketPath: String, socketMode: UInt32 = 0o660, maxRequestBodyBytes: Int = 1 << 20,
        operatorUIDs: Set<UInt32> = [], operatorGIDs: Set<UInt32> = [], shutdownGracePeriod: Duration = .seconds(10),
        testListener: TestListener? = nil, socketGroup: UInt32? = nil
    ) {
        self.socketGroup = socketGroup
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.operatorUIDs = operatorUIDs
        self.operatorGIDs = operatorGIDs
        self.shutdownGracePeriod = shutdownGracePeriod
        self.testListener = testListener
    }
}
