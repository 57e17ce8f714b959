import API
import ArgumentParser
import Catalog
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// What `brig exec` and `brig submit` send: the language, the source, the program's stdin and arguments,
/// the profile and per-job limits.
struct JobSourceOptions: ParsableArguments {
    @Argument(help: "The language (one of `brig languages`).")
    var language: String

    @Argument(help: ArgumentHelp("The source file, or - to read the source from stdin.", valueName: "file|-"))
    var file: String

    @Option(name: .customLong("stdin-file"), help: ArgumentHelp(
        "A file to give the program as its stdin (- for brig's own stdin).",
        discussion: "Default: brig's stdin when it is neither a terminal nor the source.",
        valueName: "file"))
    var stdinFile: String?

    @Option(help: "The resource profile (one of `brig profiles`); the daemon's default when absent.")
    var profile: String?

    @OptionGroup var limits: LimitOptions

    @Argument(parsing: .postTerminator, help: ArgumentHelp("Arguments for the program, after --.", valueName: "args"))
    var arguments: [String] = []

    func validate() throws {
        if language.isEmpty { throw ValidationError("LANG: give a language, e.g. python (see `brig languages`)") }
        if file.isEmpty { throw ValidationError("FILE: give a source file, or - to read it from stdin") }
        if file == "-" && stdinFile == "-" {
            throw ValidationError("--stdin-file -: stdin already carries the source (FILE is -); give the program's input as a file")
        }
    }

    /// The request, with the source and stdin read now.
    func request(wait: Bool) throws(ClientError) -> JobRequest {
        let source = try Self.text(of: file, as: "FILE")
        var input: String?
        if let stdinFile {
            input = try Self.text(of: stdinFile, as: "--stdin-file")
        } else if file != "-" && isatty(STDIN_FILENO) == 0 {
            let piped = try Self.text(of: "-", as: "stdin")
            input = piped.isEmpty ? nil : piped
        }
        return JobRequest(
            language: language, source: source, stdin: input, args: arguments.isEmpty ? nil : arguments,
            profile: profile, limits: limits.requested, wait: wait)
    }

    /// A file's content (or stdin's, for "-") as text: the API takes source and stdin as UTF-8 strings.
    private static func text(of path: String, as what: String) throws(ClientError) -> String {
        let data: [UInt8]
        if path == "-" {
            data = FileContents.standardInput()
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .usage("\(what) \(path.debugDescription): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var status = stat()
            if fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
                throw .usage("\(what) \(path.debugDescription): is a folder, not a file")
            }
            do throws(FileContents.ReadError) {
                data = try FileContents.readAll(fd)
            } catch {
                throw .usage("\(what) \(path.debugDescription): cannot read it (\(error))")
            }
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .usage("\(what) \(path == "-" ? "(stdin)" : path.debugDescription): not UTF-8 text, which the API needs")
        }
        return text
    }
}
