import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// Each test is an attempt to reach past a namespace; it must fail.
@Suite(.ownThread) struct NamespaceEscapeTests {
    @Test func seesOnlyItsOwnProcesses() throws {
        let result = try SandboxFixture.shell("ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '")
        #expect(result.status == .ok)
        let pids = result.stdout.text.split(separator: " ").compactMap { Int($0) }
        // init, the shell, ls, grep, sort, tr: a handful of small pids, none of the host's.
        #expect(!pids.isEmpty)
        #expect(pids.allSatisfy { $0 < 20 }, "pids seen: \(pids)")
    }

    @Test func cannotSignalHostProcesses() throws {
        let host = getpid()
        let result = try SandboxFixture.shell("kill -0 \(host) && echo reachable || echo unreachable; kill -9 1 2>&1; echo init-alive")
        #expect(result.stdout.text.contains("unreachable"))
        #expect(result.stdout.text.contains("init-alive"))
        #expect(kill(host, 0) == 0)
    }

    @Test func uidMapNeverMapsHostRoot() throws {
        let result = try SandboxFixture.shell("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g")
        #expect(result.status == .ok)
        let lines = result.stdout.text.split(separator: "\n")
        let maps = lines.prefix(2).map { $0.split(separator: " ").compactMap { UInt64($0) } }
        #expect(maps.count == 2)
        for map in maps {
            #expect(map.count == 3)
            let (outside, count) = (map[1], map[2])
            #expect(!(outside..<outside + count).contains(0), "host root is mapped: \(map)")
            #expect(outside >= 60000)
        }
        #expect(lines.dropFirst(2).map(String.init) == ["1000", "1000"])
    }

    @Test func hasItsOwnHostnameAndOnlyLoopback() throws {
        let result = try SandboxFixture.shell("hostname; ls /sys/class/net 2>/dev/null; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '")
        #expect(result.status == .ok)
        let lines = result.stdout.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "brig")
        #expect(Array(lines.dropFirst()) == ["lo"])
    }

    @Test func cannotReachATCPServerOnTheHostLoopback() throws {
        let server = try LoopbackServer()
        defer { server.close() }
        let result = try SandboxFixture.python("""
            import socket
            try:
                socket.create_connection(("127.0.0.1", \(server.port)), timeout=2)
                print("connected")
            except OSError as error:
                print("refused", error.errno)
            """)
        #expect(result.status == .ok)
        #expect(result.stdout.text.hasPrefix("refused"), "\(result.stdout.text)")
        #expect(!server.hadConnection)
    }

    /// `brig run`'s sandbox joins a network namespace made beside the clone (`NetworkNamespace.Pending`), not
    /// one the clone makes: it must be as closed. Only lo, and up; the host's loopback out of reach; and lo
    /// cannot be taken down from inside (the namespace is root's, the sandbox has no capability over it).
    @Test func aNetworkNamespaceMadeBesideTheCloneIsAsClosed() throws {
        let server = try LoopbackServer()
        defer { server.close() }
        var spec = try SandboxFixture.spec(["/usr/bin/python3", "-c", """
            import fcntl, socket, struct
            print(sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]))
            try:
                socket.create_connection(("127.0.0.1", \(server.port)), timeout=2)
                print("host reached")
            except OSError as error:
                print("host refused", error.errno)
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            socket.create_connection(listener.getsockname(), timeout=2)
            print("loopback works")
            try:
                fcntl.ioctl(listener.fileno(), 0x8914, struct.pack("16sH14s", b"lo", 0, b""))  # SIOCSIFFLAGS: down
                print("lo taken down")
            except OSError as error:
                print("lo kept", error.errno)
            """])
        spec.network = try NetworkNamespace.Pending().namespace()
        let result = try SandboxFixture.launcher(zygote: nil).run(spec)
        #expect(result.status == .ok, "\(result.stderr.text)")
        #expect(result.stdout.text == "['lo']\nhost refused 111\nloopback works\nlo kept 1\n", "\(result.stdout.text)")
        #expect(!server.hadConnection)
    }

    /// A pending namespace is a new one, and its descriptor goes with it.
    @Test func aPendingNetworkNamespaceIsNewAndClosedWithIt() throws {
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net")
        var namespace: NetworkNamespace? = try NetworkNamespace.Pending().namespace()
        let fd = try #require(namespace?.fd)
        let made = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
        #expect(made.hasPrefix("net:[") && made != ours)
        namespace = nil
        let links = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")
        }
        #expect(!links.contains(made))
    }
}

/// A TCP listener on the host's 127.0.0.1 that records whether anyone connected.
final class LoopbackServer {
    let fd: Int32
    let port: UInt16

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        fd = socketFD
        port = UInt16(bigEndian: address.sin_port)
        try #require(bound && listen(fd, 16) == 0)
    }

    var hadConnection: Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { Glibc.close(client) }
        return client >= 0
    }

    func close() { Glibc.close(fd) }
}
