// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top: CSandbox (C, between clone and execve) -> Sandbox -> Catalog -> brig (CLI).
// A layer imports only those below it; tests mirror targets.
let package = Package(
    name: "brig",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "brig", targets: ["brig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
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
        .executableTarget(
            name: "brig",
            dependencies: [
                "Sandbox", "Catalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Catalog"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        // Drives the built `brig` executable as a user would (it sits beside the test bundle).
        .testTarget(name: "BrigTests"),
    ],
    swiftLanguageModes: [.v6]
)
