/// Where a running `BrigServer` accepts connections, as reported once each listener is bound.
public enum ListenerAddress: Sendable, Equatable {
    case unixSocket(path: String)
    case tcp(host: String, port: Int)
}
