import Foundation
import Server
import Synchronization
import TestSupport
import Testing

@Suite("systemd notify")
struct SystemdNotifierTests {
    @Test func aStateIsOneDatagramToAPathSocket() throws {
        let directory = try TemporaryDirectory()
        let socket = try NotifySocket(name: directory.path + "/notify")
        defer { socket.close() }
        let notifier = SystemdNotifier(socketPath: socket.name)
        #expect(notifier.send("READY=1\nSTATUS=serving") == nil)
        #expect(socket.receive(timeout: .seconds(5)) == "READY=1\nSTATUS=serving")
    }

    @Test func anAtSignNamesAnAbstractSocket() throws {
        let name = "@brig-notify-test-\(getpid())"
        let socket = try NotifySocket(name: name)
        defer { socket.close() }
        #expect(SystemdNotifier(socketPath: name).send("STOPPING=1") == nil)
        #expect(socket.receive(timeout: .seconds(5)) == "STOPPING=1")
    }

    @Test func anAbsentSocketIsReportedNotThrown() {
        let failure = SystemdNotifier(socketPath: "/nonexistent/notify").send("READY=1")
        #expect(failure?.hasPrefix("sendto /nonexistent/notify: ") == true)
    }

    @Test func theEnvironmentSaysWhetherAndHowOftenToPing() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        let plain = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/systemd/notify"])
        #expect(plain?.socketPath == "/run/systemd/notify")
        #expect(plain?.watchdogInterval == nil)
        let watched = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@n", "WATCHDOG_USEC": "30000000"], pid: 42)
        #expect(watched?.watchdogInterval == .seconds(15), "half of WatchdogSec")
        let ours = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@n", "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "42"], pid: 42)
        #expect(ours?.watchdogInterval == .seconds(1))
        let someoneElses = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@n", "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "7"], pid: 42)
        #expect(someoneElses?.watchdogInterval == nil)
    }

    @Test func theWatchdogPingsOnlyWhileTheProbeAnswers() throws {
        let directory = try TemporaryDirectory()
        let socket = try NotifySocket(name: directory.path + "/notify")
        defer { socket.close() }
        let answering = Atomic<Bool>(true)
        let notifier = SystemdNotifier(socketPath: socket.name, watchdogInterval: .milliseconds(50))
        let watchdog = try #require(SystemdWatchdog(notifier: notifier) { answering.load(ordering: .relaxed) })
        watchdog.start()
        defer { watchdog.stop() }
        #expect(socket.receive(timeout: .seconds(5)) == "WATCHDOG=1")
        #expect(socket.receive(timeout: .seconds(5)) == "WATCHDOG=1")
        answering.store(false, ordering: .relaxed)
        // Drain what was sent before the probe turned; then nothing more comes.
        while socket.receive(timeout: .milliseconds(300)) != nil {}
        let missesBefore = watchdog.missCount
        #expect(socket.receive(timeout: .milliseconds(500)) == nil, "a hung daemon stops pinging")
        #expect(watchdog.missCount > missesBefore)
        answering.store(true, ordering: .relaxed)
        #expect(socket.receive(timeout: .seconds(5)) == "WATCHDOG=1")
    }

    @Test func noWatchdogWithoutAnInterval() {
        #expect(SystemdWatchdog(notifier: SystemdNotifier(socketPath: "@n")) { true } == nil)
    }
}
