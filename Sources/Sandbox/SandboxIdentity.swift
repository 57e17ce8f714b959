/// Who a sandboxed program is: the same unprivileged ids inside every sandbox, and host ids that differ per
/// slot, so that two sandboxes running at once can never signal, trace or share files with each other.
/// Host root is never mapped.
public struct SandboxIdentity: Sendable, Equatable {
    /// The uid and gid the program sees for itself ("sandbox" in the generated /etc/passwd).
    public static let insideID: UInt32 = 1000
    /// Host uid/gid of slot 0; slot N uses base + N.
    public static let hostBase: UInt32 = 60000
    /// How many distinct slots exist.
    public static let slotCount = 1000

    public let slot: Int

    public init(slot: Int) {
        precondition((0..<Self.slotCount).contains(slot), "slot out of range")
        self.slot = slot
    }

    public var hostUID: UInt32 { Self.hostBase + UInt32(slot) }
    public var hostGID: UInt32 { Self.hostBase + UInt32(slot) }

    /// The single-line maps written to /proc/PID/uid_map and gid_map.
    public var uidMap: String { "\(Self.insideID) \(hostUID) 1\n" }
    public var gidMap: String { "\(Self.insideID) \(hostGID) 1\n" }
}
