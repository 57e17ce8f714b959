import CSandbox
#if canImport(Glibc)
import Glibc
#endif

extension NetworkNamespace {
    /// A network namespace being made on a thread of its own (~0.5 ms of kernel work) while the caller does
    /// something else; `namespace()` waits for it. Used from one thread.
    public final class Pending: @unchecked Sendable {
        private let state: UnsafeMutablePointer<brig_netns_pending>
        private var made: Result<NetworkNamespace, SandboxError>?

        public init() throws(SandboxError) {
            state = .allocate(capacity: 1)
            let started = brig_netns_create_start(state)
            if started < 0 {
                state.deallocate()
                throw .system(.launchFailed, stage: "netns", errno: -started, "cannot start making a network namespace")
            }
        }

        /// The namespace, once made (the first call waits for it).
        public func namespace() throws(SandboxError) -> NetworkNamespace {
            if let made { return try made.get() }
            let created = brig_netns_create_finish(state)
            let result: Result<NetworkNamespace, SandboxError> = created < 0
                ? .failure(.system(.launchFailed, stage: "netns", errno: -created, "cannot create a network namespace"))
                : .success(NetworkNamespace(adopting: created))
            made = result
            return try result.get()
        }

        deinit {
            if made == nil {
                let created = brig_netns_create_finish(state)
                if created >= 0 { close(created) }
            }
            state.deallocate()
        }
    }
}
