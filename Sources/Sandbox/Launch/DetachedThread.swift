#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread that runs a closure under a name ps and top show: what Foundation's `Thread` gave
/// the launch zygote, without linking Foundation into `brig` (its start-up would cost every command ~1 ms).
enum DetachedThread {
    /// Starts `body` on a thread of its own named `name` (at most 15 bytes are kept); false when the system
    /// refuses a thread.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Context(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            let context = Unmanaged<Context>.fromOpaque(raw!).takeRetainedValue()
            // pthread_setname_np does the same; Glibc's module map does not show it to Swift.
            let comm = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if comm >= 0 {
                let name = Array(context.name.utf8.prefix(15))
                _ = write(comm, name, name.count)
                close(comm)
            }
            context.body()
            return nil
        }, context)
        if status != 0 { Unmanaged<Context>.fromOpaque(context).release() }
        return status == 0
    }

    private final class Context {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
