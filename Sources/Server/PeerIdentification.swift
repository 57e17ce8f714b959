import API
import Engine
import NIOCore

/// Who is calling: from SO_PEERCRED on the Unix socket; the test identity on the test TCP listener (and for
/// requests that have no socket at all, as in router tests).
struct PeerIdentification: Sendable {
    let policy: OperatorPolicy
    let testPeer: Peer?

    func peer(of channel: any Channel) async throws(APIError) -> Peer {
        if case .unixDomainSocket = channel.localAddress {
            do {
                let credentials = try await PeerCredentials.of(channel)
                return Peer(
                    uid: credentials.uid, gid: credentials.gid, pid: credentials.pid,
                    isOperator: policy.isOperator(uid: credentials.uid, gid: credentials.gid))
            } catch {
                throw APIError(
                    "peer_unidentified", "could not read the caller's credentials (SO_PEERCRED): \(error)",
                    httpStatus: 403)
            }
        }
        guard let testPeer else {
            throw APIError("peer_unidentified", "only Unix socket clients are served", httpStatus: 403)
        }
        return testPeer
    }
}
