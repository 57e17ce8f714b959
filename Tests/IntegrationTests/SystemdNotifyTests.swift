import Foundation
import TestSupport
import Testing

/// The real `brig serve` under a stand-in for systemd: READY=1 once the socket answers, WATCHDOG=1 at half of
/// WATCHDOG_USEC while it answers, STOPPING=1 when SIGTERM starts the drain.
@Suite(.serialized, .ownThread) struct SystemdNotifyTests {
    static let counter = Counter()

    @Test(arguments: ["path", "abstract"])
    func serveSendsReadyWatchdogAndStopping(_ kind: String) throws {
        let serial = Self.counter.next()
        let name = kind == "path" ? "/tmp/brig-notify-\(getpid())-\(serial)" : "@brig-notify-\(getpid())-\(serial)"
        let listener = try NotifySocket(name: name)
        defer { listener.close() }
        // 400 ms: a ping every 200 ms.
        let daemon = try Daemon(environment: ["NOTIFY_SOCKET": name, "WATCHDOG_USEC": "400000"])
        defer { daemon.stop() }

        let ready = listener.receive(until: "READY=1", timeout: .seconds(30))
        let readyMessage = try #require(ready.last, "no datagram; daemon log: \(daemon.log())")
        #expect(readyMessage == "READY=1\nSTATUS=serving on \(daemon.socket)")
        #expect(!ready.dropLast().contains { $0.contains("WATCHDOG=1") }, "no ping before READY=1")

        // Several pings while it answers.
        for _ in 0..<3 {
            #expect(listener.receive(until: "WATCHDOG=1", timeout: .seconds(5)).last == "WATCHDOG=1")
        }

        daemon.stop()
        let stopping = listener.receive(until: "STOPPING=1", timeout: .seconds(30))
        #expect(stopping.last?.hasPrefix("STOPPING=1\n") == true, "\(stopping)")
    }

    @Test func withoutNotifySocketNothingIsSentAndServeRuns() throws {
        let daemon = try Daemon(environment: ["NOTIFY_SOCKET": ""])
        defer { daemon.stop() }
        #expect(try daemon.request("GET", "/healthz").status == 200)
    }
}
