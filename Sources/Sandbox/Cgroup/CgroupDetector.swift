/// Finds the cgroup hierarchies of this host in a mountinfo table and picks the driver that can enforce
/// memory, pids and cpu limits: cgroup v2 when its hierarchy offers them all, else v1 when its mounts
/// provide memory, pids, cpu, cpuacct and freezer. Otherwise it refuses: sandboxes never run unlimited.
public struct CgroupDetector: Sendable, Equatable {
    /// v1 controller name → its hierarchy's mount point; co-mounted controllers share one.
    public let v1Mounts: [String: String]
    /// The first cgroup2 mount point, if any.
    public let v2Mount: String?

    /// The cgroup mounts of a /proc/self/mountinfo text. Read as bytes: `brig run` does this at every start,
    /// and splitting the text into Characters took it a third of a millisecond.
    public init(mountinfo: String) {
        var v1Mounts: [String: String] = [:]
        var v2Mount: String?
        for line in mountinfo.utf8.split(separator: UInt8(ascii: "\n")) {
            // id parent dev root mountpoint options [optional fields...] - fstype source superoptions
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count >= 7, let separator = fields[6...].firstIndex(where: { $0.elementsEqual("-".utf8) }),
                  separator + 3 < fields.count
            else { continue }
            let type = fields[separator + 1]
            if type.elementsEqual("cgroup2".utf8) {
                if v2Mount == nil { v2Mount = Self.unescaped(fields[4]) }
            } else if type.elementsEqual("cgroup".utf8) {
                // Controllers are the super options that are neither flags nor settings (name=systemd).
                let mountPoint = Self.unescaped(fields[4])
                for option in fields[separator + 3].split(separator: UInt8(ascii: ","))
                where !option.contains(UInt8(ascii: "=")) {
                    let name = String(decoding: option, as: UTF8.self)
                    if !Self.isMountFlag(name), v1Mounts[name] == nil { v1Mounts[name] = mountPoint }
                }
            }
        }
        self.v1Mounts = v1Mounts
        self.v2Mount = v2Mount
    }

    /// Super options of a v1 cgroup mount that are not controllers.
    private static func isMountFlag(_ option: String) -> Bool {
        switch option {
        case "rw", "ro", "none", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods": true
        default: false
        }
    }

    /// The driver for this host, from /proc/self/mountinfo.
    public static func detect(parent: String = "brig") throws(SandboxError) -> any CgroupDriver {
        guard let mountinfo = CgroupFS.readIfPresent("/proc/self/mountinfo") else {
            throw SandboxError(.cgroupUnavailable, "cannot read /proc/self/mountinfo to find the cgroup hierarchies")
        }
        return try CgroupDetector(mountinfo: mountinfo).driver(parent: parent)
    }

    /// The driver these mounts allow on this host.
    public func driver(parent: String = "brig") throws(SandboxError) -> any CgroupDriver {
        try driver(parent: parent, readFile: CgroupFS.readIfPresent)
    }

    /// The driver these mounts allow; `readFile` returns a file's content or nil (cgroup2's
    /// cgroup.controllers, /proc/meminfo, and whether v1 memory.memsw.* exists).
    public func driver(parent: String, readFile: (String) -> String?) throws(SandboxError) -> any CgroupDriver {
        let missingV2 = missingV2Controllers(readFile: readFile)
        if let v2Mount, missingV2.isEmpty {
            return try CgroupV2Driver(root: v2Mount, parent: parent)
        }
        let missingV1 = CgroupV1Driver.controllers.filter { v1Mounts[$0] == nil }
        if missingV1.isEmpty {
            return try CgroupV1Driver(mounts: v1Mounts, parent: parent, readFile: readFile)
        }
        let v2Part = v2Mount.map { "cgroup v2 at \($0) lacks \(missingV2.joined(separator: ", "))" }
            ?? "cgroup v2 is not mounted"
        let v1Part = "cgroup v1 lacks \(missingV1.joined(separator: ", "))"
        throw SandboxError(.cgroupUnavailable, "cannot enforce memory, pids and cpu limits: \(v2Part); \(v1Part)")
    }

    /// The controllers sandboxes need that this host's cgroup2 root does not offer.
    public func missingV2Controllers() -> [String] {
        missingV2Controllers(readFile: CgroupFS.readIfPresent)
    }

    /// The controllers sandboxes need that the cgroup2 root does not offer (all of them without a cgroup2 mount).
    public func missingV2Controllers(readFile: (String) -> String?) -> [String] {
        let available = v2Mount.flatMap { readFile($0 + "/cgroup.controllers") }?
            .split(whereSeparator: { $0 == " " || $0 == "\n" }) ?? []
        return CgroupV2Driver.controllers.filter { !available.contains(Substring($0)) }
    }

    /// A mountinfo path field: spaces, tabs, newlines and backslashes appear as octal escapes ("\040").
    private static func unescaped(_ field: Substring.UTF8View.SubSequence) -> String {
        var bytes: [UInt8] = []
        var rest = field[...]
        while let byte = rest.popFirst() {
            let digits = rest.prefix(3)
            if byte == UInt8(ascii: "\\"), digits.count == 3,
               digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                bytes.append(digits.reduce(0) { $0 &* 8 &+ ($1 - UInt8(ascii: "0")) })
                rest = rest.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
