import NIOCore

/// `struct ucred` as SO_PEERCRED fills it (Linux: pid, uid, gid, each 32 bits), declared here because the Glibc
/// module does not export it without _GNU_SOURCE.
struct PeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0

    /// SO_PEERCRED's value on Linux (asm-generic; every architecture Swift runs on here).
    static let socketOption: SocketOptionName = 17
    static let socketLevel: SocketOptionLevel = 1  // SOL_SOCKET

    /// The credentials the kernel recorded when the peer connected to this Unix socket channel.
    static func of(_ channel: any Channel) async throws -> PeerCredentials {
        guard let provider = channel as? any SocketOptionProvider else {
            throw PeerCredentialsError.unsupportedChannel
        }
        return try await provider.unsafeGetSocketOption(level: socketLevel, name: socketOption).get()
    }
}

enum PeerCredentialsError: Error {
    case unsupportedChannel
}
