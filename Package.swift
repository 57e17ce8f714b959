// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top: CSandbox (C, between clone and execve) -> Sandbox -> Store -> Catalog -> Engine
// -> Server -> DaemonClient -> brig (CLI), brig-daemon (what `brig serve` and `brig bench` run) and brig-mcp
// (the MCP server `brig mcp` runs).
// A layer imports only those below it; tests mirror targets.
// `scripts/build-release` sets BRIG_STATIC_PIE=1: the release `brig` is then one static PIE, every library in
// it, so no dynamic loader runs at its start (~1.5 ms of `brig run`) and its address layout stays randomized.
// It has FoundationEssentials but not Foundation (whose relocations and CoreFoundation's start-up cost every
// command ~2 ms): the layers it links import FoundationEssentials only, and build-release turns off the
// compiler's automatic `-lFoundation` (TOMLKit's `import struct Foundation.Data` would ask for it, and a weak
// symbol both libraries define then pulls in the whole of Foundation), so the executables that do use
// Foundation name it below. Should `brig` come to use Foundation, its release link fails instead of growing.
// Only `brig`: the daemon asks glibc's name service for a peer's groups, which a static glibc serves by
// loading the host's NSS modules, and those crash it. A plain `swift build -c release` links `brig` as usual
// (glibc's static-PIE start refuses the RUNPATH SwiftPM adds unless built with --disable-local-rpath).
let staticPIE = Context.environment["BRIG_STATIC_PIE"] == "1"
// What the compiler would have linked for `import Foundation`, for the executables that use it: statically,
// CoreFoundation and ICU are archives of their own, and Foundation needs members of libraries the link line
// names before it, so they are one group the linker searches until nothing more resolves.
let foundationLink: [LinkerSetting] = staticPIE
    ? [.unsafeFlags(
        ["-Xlinker", "--start-group"]
            + [
                "Foundation", "FoundationInternationalization", "FoundationEssentials", "CoreFoundation",
                "_FoundationICU", "_FoundationCShims", "_FoundationCollections", "swiftDispatch", "dispatch",
                "BlocksRuntime", "swiftSynchronization",
            ].map { "-l" + $0 }
            + ["-Xlinker", "--end-group"],
        .when(platforms: [.linux], configuration: .release))]
    : []

let package = Package(
    name: "brig",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "brig", targets: ["brig"]),
        .executable(name: "brig-daemon", targets: ["brig-daemon"]),
        .executable(name: "brig-mcp", targets: ["brig-mcp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSeccomp",
            path: "Sources/CSeccomp",
            pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]
        ),
        .systemLibrary(
            name: "CCap",
            path: "Sources/CCap",
            pkgConfig: "libcap",
            providers: [.apt(["libcap-dev"])]
        ),
        .target(name: "CSandbox"),
        .target(
            name: "Sandbox",
            dependencies: ["CSandbox", "CSeccomp", "CCap"]
        ),
        .target(
            name: "Catalog",
            dependencies: ["Sandbox", "TOMLKit"]
        ),
        .target(
            name: "Store",
            dependencies: ["Sandbox", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The service's requests, views and errors as they travel over the socket: what the daemon and its
        // clients share, without the engine's store and server stack (a client links none of it).
        .target(name: "API", dependencies: ["Sandbox"]),
        .target(
            name: "Engine",
            dependencies: [
                "API", "Sandbox", "Store", "Catalog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Engine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.embedInCode("openapi.yaml")]
        ),
        // The command-line client's side of the socket, shared by both executables.
        .target(name: "DaemonClient", dependencies: ["Catalog", "API"]),
        // What both command-line executables share: the catalog option, exit codes, tables and numbers, and the
        // way from one to the other (`SiblingExecutable`).
        .target(
            name: "BrigCommandLine",
            dependencies: [
                "Sandbox", "Catalog", "DaemonClient", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The command line: `brig run` and the daemon's clients. No server stack and no store: a command starts
        // in a third of the time a binary with them needs (conformance scans and relocations grow with its size).
        .executableTarget(
            name: "brig",
            dependencies: [
                "Sandbox", "Catalog", "API", "DaemonClient", "BrigCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticPIE
                ? [.unsafeFlags(["-static-executable", "-use-ld=lld", "-Xclang-linker", "-static-pie", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux], configuration: .release))]
                : []
        ),
        // `brig serve` and `brig bench` run this: the daemon (Server, Engine, Store) and its benchmark.
        .executableTarget(
            name: "brig-daemon",
            dependencies: [
                "Sandbox", "Catalog", "API", "Engine", "Store", "Server", "DaemonClient", "BrigCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: foundationLink
        ),
        // `brig mcp` runs this: the MCP SDK brings FoundationNetworking and libcurl with some thirty shared
        // libraries, whose loading alone would cost every other brig command ~12 ms and the daemon ~5 MiB.
        .executableTarget(
            name: "brig-mcp",
            dependencies: [
                "DaemonClient", "API",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MCP", package: "swift-sdk"),
            ],
            linkerSettings: foundationLink
        ),
        // Shared by the test targets: the trait that keeps blocking tests off Swift's cooperative pool.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Catalog", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "TestSupport", .product(name: "MetricsTestKit", package: "swift-metrics")]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Drive a real `brig serve` through its socket.
        .testTarget(name: "IntegrationTests", dependencies: ["Engine", "TestSupport"]),
        // Drives the built `brig` executable as a user would (it sits beside the test bundle), and reads its
        // argument parsing directly.
        .testTarget(name: "BrigTests", dependencies: ["brig", "Catalog", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
