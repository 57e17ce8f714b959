import API
import Engine
import Hummingbird
import NIOCore

/// The request context: the connection's channel, from which the peer is read (once, by `PeerMiddleware`).
public struct BrigRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by `PeerMiddleware` before any route runs.
    public var peer: Peer?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    func requirePeer() throws(APIError) -> Peer {
        guard let peer else {
            throw APIError("peer_unidentified", "the caller could not be identified", httpStatus: 403)
        }
        return peer
    }
}
