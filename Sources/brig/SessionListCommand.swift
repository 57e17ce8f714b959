import ArgumentParser
import BrigCommandLine
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig session list`: the sessions the daemon knows (yours, or everyone's for an operator), newest first.
struct SessionListCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List sessions, newest first.",
        discussion: """
            Shows one page (--limit sessions); --all follows the pages to the oldest. With --json, prints \
            each page as the daemon sends it.

            Examples:
              brig session list
              brig session list --state active
              brig session list --all --json
            """
    )

    @OptionGroup var options: ClientOptions

    @Option(help: ArgumentHelp("Only sessions in this state (active, ended, expired).", valueName: "state"))
    var state: String?

    @Option(help: "Sessions per page (1 to 500).")
    var limit: Int?

    @Option(help: ArgumentHelp("Start after this cursor (the `next` of an earlier page).", valueName: "cursor"))
    var after: String?

    @Flag(help: "Follow the pages to the end instead of showing one.")
    var all = false

    func validate() throws {
        if let state, !["active", "ended", "expired"].contains(state) {
            throw ValidationError("--state \(state.debugDescription): expected one of active, ended, expired")
        }
        if let limit, !(1...500).contains(limit) { throw ValidationError("--limit \(limit): expected 1 to 500") }
    }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        var table = TextTable("ID", "STATE", "PROFILE", "IMAGE", "STEPS", "RUNNING", "AGE", "ENDS")
        let now = Date()
        let more = try followPages(
            client, after: after, all: all, target: { APITarget.sessions(state: state, limit: limit, after: $0) },
            next: { (page: DaemonSessionPage) in page.next }
        ) { page in
            for session in page.sessions {
                table.append([
                    session.id, session.state, session.profile ?? "-", session.image ?? "-",
                    session.usage?.steps.map(String.init) ?? "-", String(session.running?.count ?? 0),
                    session.createdAt.map { ElapsedText.age(of: $0, now: now) } ?? "-", Self.ending(of: session, now: now),
                ])
            }
        }
        guard !options.json else { return 0 }
        if table.rows.isEmpty {
            StandardStream.error.write("brig: no sessions\(state.map { " in state \($0)" } ?? "")\n")
            return 0
        }
        StandardStream.output.write(table.text)
        if let more, !all {
            StandardStream.error.write("brig: more sessions: brig session list --after \(more), or --all\n")
        }
        return 0
    }

    /// "in 9m" (the sooner of idle and lifetime expiry) for an active session; why it ended otherwise.
    static func ending(of session: DaemonSession, now: Date) -> String {
        guard session.state == "active" else { return session.endReason ?? session.state }
        let deadlines = [session.expiresAt, session.idleExpiresAt].compactMap { $0 }
        guard let soonest = deadlines.min() else { return "-" }
        return "in " + ElapsedText.age(of: now, now: soonest)
    }
}
