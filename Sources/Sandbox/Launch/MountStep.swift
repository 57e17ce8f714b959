import CSandbox

/// One filesystem step of the sandbox's root, as the C child executes it (see `brig_mount_kind`).
struct MountStep: Equatable {
    enum Kind: Int32 {
        case directory = 1, file, symlink, bind, tmpfs, proc, readOnly
    }

    var kind: Kind
    /// The path inside the sandbox.
    var target: String
    /// bind: the host path; symlink: the link's content.
    var source: String?
    /// MS_* flags for bind (remount), tmpfs and proc.
    var flags: UInt = 0
    var mode: UInt32 = 0o755
    /// tmpfs: its options; file: its content.
    var data: [UInt8] = []

    /// A sentence naming the step, for errors ("bind /usr onto /usr").
    var summary: String {
        switch kind {
        case .directory: "create directory \(target)"
        case .file: "create file \(target)"
        case .symlink: "create symlink \(target) -> \(source ?? "")"
        case .bind: "bind \(source ?? "") onto \(target)"
        case .tmpfs: "mount tmpfs at \(target)"
        case .proc: "mount proc at \(target)"
        case .readOnly: "make \(target) read-only"
        }
    }
}
