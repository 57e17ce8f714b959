import API
import ArgumentParser
import BrigCommandLine
import DaemonClient

/// `brig profiles`: the operator's resource profiles.
struct ProfilesCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the resource profiles: their key limits, concurrency and purpose.",
        discussion: """
            Limits are what a job gets when it asks for nothing; --json also shows the maxima a job may ask for \
            and every other limit.

            Examples:
              brig profiles
              brig profiles --json
            """
    )

    @OptionGroup var options: ClientOptions

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let (profiles, body) = try client.send("GET", APITarget.profiles, expecting: [ProfileView].self)
        if options.json {
            printJSON(body)
            return 0
        }
        var table = TextTable("NAME", "WALL", "CPU", "MEMORY", "PIDS", "CONCURRENCY", "DESCRIPTION")
        for profile in profiles {
            let limits = ["wall_time", "cpu_time", "memory", "pids"].map { profile.limits[$0] ?? "-" }
            table.append([profile.name] + limits + [String(profile.concurrency), profile.description])
        }
        StandardStream.output.write(table.text)
        return 0
    }
}
