import API
import ArgumentParser
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig session create`: a new session, optionally with files in its workspace; prints its id.
struct SessionCreateCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a session and print its id.",
        discussion: """
            Files and folders given are put in the workspace under their own names (a folder with \
            everything in it; executables keep their mode). The id goes to stdout alone, so a script can keep it; --json prints the \
            session as the daemon describes it.

            Examples:
              brig session create
              ID=$(brig session create --profile build --ttl 2h --idle-ttl 15m src Makefile)
              brig session create --image host --json
            """
    )

    @OptionGroup var options: ClientOptions

    @Option(help: "The sandbox image (the daemon's default, host, when absent).")
    var image: String?

    @Option(help: "The resource profile (one of `brig profiles`); also sets the session's caps.")
    var profile: String?

    @Option(help: ArgumentHelp("The session's longest lifetime (e.g. 1h, 30m).", valueName: "duration"))
    var ttl: String?

    @Option(name: .customLong("idle-ttl"), help: ArgumentHelp("End the session after this long without a command (e.g. 10m).", valueName: "duration"))
    var idleTTL: String?

    @Argument(help: ArgumentHelp("Local files or folders to put in the workspace.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        for (option, value) in [("--ttl", ttl), ("--idle-ttl", idleTTL)] {
            guard let value else { continue }
            try DurationArgument.check(value, option: option)
        }
        if image?.isEmpty == true { throw ValidationError("--image: give an image name") }
        if profile?.isEmpty == true { throw ValidationError("--profile: give a profile name (see `brig profiles`)") }
    }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let uploads = try LocalUpload.entries(files)
        let request = SessionRequest(
            image: image, profile: profile, ttl: ttl, idleTTL: idleTTL, files: uploads.isEmpty ? nil : uploads.map(\.file))
        let (session, body) = try client.send("POST", APITarget.sessions, json: try ClientJSON.body(request), expecting: DaemonSession.self)
        // The request's files are written 0644: executables are written again with their mode, so ./script runs.
        for upload in uploads where upload.isExecutable {
            let path = SessionPath(segments: upload.file.path.split(separator: "/").map(String.init))
            _ = try client.sendRaw(
                "PUT", APITarget.files(in: session.id, path: path, mode: "0" + String(upload.mode, radix: 8)),
                body: try LocalUpload.contents(of: upload.local), contentType: "application/octet-stream")
        }
        if options.json {
            printJSON(body)
        } else {
            StandardStream.output.write(session.id + "\n")
        }
        return 0
    }
}
