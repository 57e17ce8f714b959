import Catalog
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Where `brig serve` listens and keeps its state, and where the client commands look for it.
///
/// From a checkout (brig built inside a folder with Package.swift, profiles/ and sandbox-images/), everything
/// lives under `<checkout>/.brig/`, so a first `swift build && brig serve` needs no system setup. Installed,
/// the socket is /run/brig/brig.sock and the state /var/lib/brig. $BRIG_SOCKET and $BRIG_STATE_DIR override.
package enum DefaultPaths {
    /// The checkout brig was built in, if it was.
    package static var checkout: String? {
        OperatorCatalog.checkout(containing: ProcessEnvironment.executable ?? "")
    }

    package static var stateDirectory: String {
        if let configured = ProcessEnvironment.value(of: "BRIG_STATE_DIR") { return configured }
        if let checkout { return "\(checkout)/.brig" }
        return "/var/lib/brig"
    }

    package static var socket: String {
        if let configured = ProcessEnvironment.value(of: "BRIG_SOCKET") { return configured }
        if let checkout { return "\(checkout)/.brig/brig.sock" }
        return "/run/brig/brig.sock"
    }
}
