import Catalog
import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// Section 1: the wall time of `/bin/true` launched bare, by brig's launcher in this process, by bubblewrap, by
/// unshare and by the `brig run` command, the contenders taking turns.
struct BenchLaunch {
    let catalog: OperatorCatalog
    /// The `brig` command, beside this executable.
    let executable: String
    /// `--catalog DIR` when one was given, for `brig run` to use the same catalog.
    let catalogArguments: [String]
    let runtimeDirectory: String
    let runs: Int
    /// An nsjail binary to measure (built from source: Debian does not package it), or nil.
    var nsjail: String? = nil

    /// bwrap with every namespace and a read-only /usr, as its documentation suggests for a minimal sandbox.
    static let bubblewrap = [
        "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--proc", "/proc", "--dev", "/dev", "/bin/true",
    ]

    func measure() throws -> [BenchFigure] {
        let launcher = try inProcessLauncher()
        defer { Self.removeParentCgroups(of: launcher) }
        let spec = try trueSpec()
        let inProcess = BenchContender(name: "SandboxLauncher.run (in-process)") {
            let result = launcher.run(spec)
            guard result.status == .ok else {
                throw BenchFailure("SandboxLauncher.run /bin/true", "ended \(result.status.rawValue): \(result.failure.map { "\($0)" } ?? "")")
            }
        }
        // The daemon's path: a warm sandbox prepared ahead (not timed), then the request to the reaped child.
        let shape = SandboxShape(spec)
        let warmBox = WarmBox()
        defer { warmBox.warm?.close() }
        let warm = BenchContender(
            name: "SandboxLauncher.run, warm (in-process)",
            runOnce: {
                let result = launcher.run(spec, in: warmBox.warm)
                guard result.status == .ok, warmBox.warm?.used == true else {
                    throw BenchFailure("warm SandboxLauncher.run /bin/true", "ended \(result.status.rawValue) (warm: \(warmBox.warm?.used == true)): \(result.failure.map { "\($0)" } ?? "")")
                }
            },
            setUp: {
                warmBox.warm?.close()
                warmBox.warm = try launcher.prepare(shape)
            })
        // What the daemon does off the hot path for each job: tear the used sandbox down, prepare the next.
        let spareBox = WarmBox()
        defer { spareBox.warm?.close() }
        let turnover = BenchContender(name: "WarmSandbox.close + prepare (per job, off the hot path)") {
            spareBox.warm?.close()
            spareBox.warm = try launcher.prepare(shape)
        }
        let nsjailCgroups = nsjail.map { _ in BenchNsjail.Cgroups() }
        defer { nsjailCgroups?.remove() }
        let bubblewrap: BenchContender = FileManager.default.isExecutableFile(atPath: Self.bubblewrap[0])
            ? .program("bwrap --unshare-all", Self.bubblewrap)
            : .skipped("bwrap --unshare-all", because: "bwrap is not installed (apt-get install bubblewrap)")
        let command = BenchContender.program(
            "brig run -- /bin/true (command)",
            [executable, "run", "--runtime-dir", runtimeDirectory] + catalogArguments + ["--", "/bin/true"],
            environment: BenchProgram.inheritedEnvironment)
        let contenders = [
            BenchContender.program("bare posix_spawn+waitpid", ["/bin/true"]),
            warm,
            turnover,
            inProcess,
            bubblewrap,
            .program("unshare -Urmpinu --fork", ["/usr/bin/unshare", "-Urmpinu", "--fork", "/bin/true"]),
            command,
            bubblewrap.afterQuiet(),
            command.afterQuiet(),
            nsjail.map { path in
                .program("nsjail -Mo, seccomp + cgroup limits", BenchNsjail.arguments(path, cgroups: nsjailCgroups))
            } ?? .skipped("nsjail", because: "give --nsjail PATH or BRIG_BENCH_NSJAIL (Debian does not package it; build it from source)"),
        ]
        return BenchFigure.compare(contenders, try BenchContender.alternate(contenders, runs: runs))
    }

    /// The warm sandbox between its untimed preparation and its timed run.
    private final class WarmBox {
        var warm: WarmSandbox?
    }

    /// A launcher as the daemon makes one (its inits cloned by the launch zygote), its cgroups under a parent of
    /// its own so that leftovers are easy to see.
    private func inProcessLauncher() throws -> SandboxLauncher {
        let profile = try catalog.profile(named: "default")
        return try SandboxLauncher(
            runtimeDirectory: runtimeDirectory, cgroups: try CgroupDetector.detect(parent: "brig-bench-\(getpid())"),
            seccomp: try catalog.seccompProgram(for: profile))
    }

    /// `/bin/true` in the host image with the default profile's limits: full isolation, as `brig run` gives it.
    private func trueSpec() throws -> SandboxSpec {
        let limits = try catalog.profile(named: "default").limits(applying: LimitOverrides())
        let image = try catalog.image(named: "host")
        return SandboxSpec(
            command: ["/bin/true"], environment: image.environment, binds: image.binds, limits: limits, stdin: [])
    }

    /// The launcher removes each run's cgroup; its parent, made for this benchmark only, goes too.
    private static func removeParentCgroups(of launcher: SandboxLauncher) {
        for directory in Set(launcher.cgroups.placements.map(\.directory)) { rmdir(directory) }
    }
}
