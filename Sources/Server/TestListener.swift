import API
import Engine

/// A TCP listener on 127.0.0.1 that only tests enable (schemathesis cannot speak to a Unix socket). TCP carries
/// no peer credentials, so every connection is `peer`; requests that reach the router without any socket (the
/// in-process router tests) get the same identity.
public struct TestListener: Sendable {
    /// 0 picks a free port; `BrigServer.run(onListening:)` reports the one bound.
    public var port: Int
    public var peer: Peer

    public init(port: Int = 0, peer: Peer) {
        self.port = port
        self.peer = peer
    }
}
