#if canImport(Glibc)
import Glibc
#endif

extension SandboxLauncher {
    /// Removes what launchers that died (kill -9, a crash) left behind: their runs' cgroups (killing anything
    /// still in them) and workspace mounts. A run's name carries its launcher's pid (`run-PID-N`); only runs of
    /// pids that no longer exist are touched, so live `brig run` processes sharing the runtime directory are
    /// safe. Returns what it removed ("process 4242", "cgroup ...", "workspace ..."), for the log and the reap report.
    public func reapLeftovers() -> [String] {
        var removed: [String] = []
        // On v1 a process is listed in each controller's directory: name it once.
        var killed = Set<Int32>()
        let cgroupParents = Set(cgroups.placements.map(\.directory))
        for parent in cgroupParents.sorted() {
            for name in Self.entries(of: parent) where Self.isOrphan(name) {
                let directory = "\(parent)/\(name)"
                for pid in Self.pids(in: directory) where kill(pid, SIGKILL) == 0 && killed.insert(pid).inserted {
                    removed.append("process \(pid)")
                }
                for _ in 0..<100 {
                    if rmdir(directory) == 0 || errno == ENOENT { break }
                    usleep(10_000)
                }
                if access(directory, F_OK) != 0 { removed.append("cgroup \(directory)") }
            }
            rmdir(parent)  // gone when no sandbox is left in it; busy otherwise, which is fine
        }
        for name in Self.entries(of: workDirectory) where Self.isOrphan(name) {
            let path = "\(workDirectory)/\(name)"
            _ = umount2(path, Int32(MNT_DETACH))
            if rmdir(path) == 0 { removed.append("workspace \(path)") }
        }
        return removed
    }

    /// `run-PID-N` whose PID is gone.
    static func isOrphan(_ name: String) -> Bool {
        let parts = name.split(separator: "-")
        guard parts.count == 3, parts[0] == "run", let pid = Int32(parts[1]), pid != getpid() else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    static func entries(of directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("run-") { names.append(name) }
        }
        return names
    }

    static func pids(in cgroup: String) -> [Int32] {
        let text = CgroupFS.readIfPresent("\(cgroup)/cgroup.procs") ?? ""
        return text.split(separator: "\n").compactMap { Int32($0) }
    }
}
