import CSandbox
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// This process's launch zygote (see brig_zygote.h): a single-threaded fork of it that clones the sandboxes'
/// inits, each one this process's child, so that no launch copies this process's memory map, write-protects
/// its pages or interrupts its other threads to flush their TLBs.
///
/// Started on first use by a thread of its own that stays for the life of the process: it is the parent thread
/// of every init the zygote clones (their PR_SET_PDEATHSIG follows it), and it waits for the zygote. When the
/// zygote cannot be started, or has gone, launches clone from their own thread as before.
final class LaunchZygote: Sendable {
    /// The plans' blocks: allocated before the fork, so a block's address is the same in both processes.
    static let blockCount = 64
    static var blockSize: Int { Int(BRIG_ZYGOTE_BLOCK_SIZE) }

    /// The process's, started on first use; nil when it cannot be started.
    static let shared: LaunchZygote? = LaunchZygote()

    private let arena: UInt
    private let freeBlocks: Mutex<[UInt]>
    /// The daemon's end of the zygote's socket, -1 once it has gone; the lock keeps one exchange at a time.
    private let socket: Mutex<Int32>
    let pid: pid_t

    /// Starts one; nil when it cannot be (then launches clone from their own thread).
    init?() {
        let size = Self.blockCount * Self.blockSize
        let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let address, address != MAP_FAILED else { return nil }
        let arenaAddress = UInt(bitPattern: address)
        arena = arenaAddress
        freeBlocks = Mutex((0..<Self.blockCount).map { arenaAddress + UInt($0 * Self.blockSize) }.reversed())
        let started = Started()
        let threadStarted = DetachedThread.start(name: "brig-zygote") {
            // The zygote starts with no copy of the malloc heaps, so neither do the inits it clones.
            MallocHeapExclusion.apply()
            let socket = brig_zygote_start(UnsafeMutableRawPointer(bitPattern: arenaAddress), size, &started.pid)
            started.socket = socket
            started.semaphore.signal()
            guard socket >= 0 else { return }
            // Reaps the zygote should it go (the next launch then finds its socket closed and clones itself);
            // the inits it cloned die with this thread, so the thread stays.
            var status: Int32 = 0
            while waitpid(started.pid, &status, 0) < 0 && errno == EINTR {}
            while true { pause() }
        }
        guard threadStarted else {
            munmap(address, size)
            return nil
        }
        started.semaphore.wait()
        let socket = started.socket
        guard socket >= 0 else {
            munmap(address, size)
            return nil
        }
        self.socket = Mutex(socket)
        pid = started.pid
    }

    /// A free block for a plan, or nil when all are in use.
    func takeBlock() -> UnsafeMutableRawPointer? {
        freeBlocks.withLock { $0.popLast() }.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
    }

    /// Gives a block back (it stays mapped: unmapping it would interrupt this process's other threads).
    func returnBlock(_ block: UnsafeMutableRawPointer) {
        freeBlocks.withLock { $0.append(UInt(bitPattern: block)) }
    }

    /// Whether `block` is one of the arena's.
    func owns(_ block: UnsafeRawPointer) -> Bool {
        let address = UInt(bitPattern: block)
        return address >= arena && address < arena + UInt(Self.blockCount * Self.blockSize)
    }

    /// `brig_launch_start` through the zygote: 0 or -errno of the launch; nil when the zygote has gone (the
    /// caller launches from its own thread).
    func launch(_ plan: inout brig_launch_plan, block: UnsafeRawPointer, length: Int, into launch: inout brig_launch) -> Int32? {
        socket.withLock { socket -> Int32? in
            guard socket >= 0 else { return nil }
            let status = brig_zygote_launch(socket, &plan, block, length, &launch)
            guard [EPIPE, ECONNRESET, ENOTCONN, EPROTO].contains(-status) else { return status }
            close(socket)
            socket = -1
            return nil
        }
    }


    /// What the zygote's thread hands back to `init` (written before the semaphore's signal).
    private final class Started: @unchecked Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        var socket: Int32 = -1
        var pid: pid_t = 0
    }
}
