import API
import ArgumentParser
import BrigCommandLine
import DaemonClient

/// `brig languages`: what the daemon can run.
struct LanguagesCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "languages",
        abstract: "List the languages the daemon runs: version, sandbox image, file extensions.",
        discussion: """
            A version of "-" means the image's version probe failed: the language is installed badly or not at all.

            Examples:
              brig languages
              brig languages --json
            """
    )

    @OptionGroup var options: ClientOptions

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let (languages, body) = try client.send("GET", APITarget.languages, expecting: [LanguageView].self)
        if options.json {
            printJSON(body)
            return 0
        }
        var table = TextTable("NAME", "VERSION", "IMAGE", "EXTENSIONS")
        for language in languages {
            table.append([language.name, language.version ?? "-", language.image, language.extensions.joined(separator: " ")])
        }
        StandardStream.output.write(table.text)
        return 0
    }
}
