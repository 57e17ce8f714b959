import ArgumentParser
import Catalog
import DaemonClient
import FoundationEssentials
import Glibc

/// An executable installed beside brig that a command hands the whole process to (execv: the same pid, stdio
/// and signals), so that what only it needs is loaded by it alone; and the way back, from brig-daemon to brig.
package enum SiblingExecutable {
    /// `name` in the running executable's folder (symbolic links resolved, as an installed brig may be one).
    package static func path(_ name: String) -> String {
        let executable = ProcessEnvironment.executable ?? CommandLine.arguments[0]
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        return folder + "/" + name
    }

    /// Becomes `name` with `arguments`; comes back only when that cannot be done, with the exit code to end with
    /// (127 when it is missing, 126 when it cannot be run), having said why as `command`.
    package static func handOff(to name: String, arguments: [String], command: String) -> ExitCode {
        let path = path(name)
        let argv = [path] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        execv(path, cArguments)
        let failure = errno
        let reason = String(cString: strerror(failure))
        StandardStream.error.write("\(command): cannot run \(path): \(reason) (\(name) is built and installed beside brig)\n")
        return ExitCode(failure == ENOENT ? 127 : 126)
    }
}
