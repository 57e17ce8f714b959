import ArgumentParser
import Catalog
import Foundation

/// Where the operator's profiles and sandbox images come from.
package struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A folder with profiles/ and sandbox-images/.",
        discussion: "Default: $BRIG_CATALOG, then /etc/brig, then the checkout brig was built in, then the built-in default profile and host image."))
    package var catalog: String?

    package init() {}

    package func resolve() throws(CatalogError) -> OperatorCatalog {
        try OperatorCatalog.locate(
            explicit: catalog,
            executable: CommandLine.arguments.first.map(Self.executablePath) ?? "")
    }

    /// The catalog's folder, found without loading it; nil for the built-in profile and image.
    package func directory() -> String? {
        OperatorCatalog.directory(
            explicit: catalog,
            executable: CommandLine.arguments.first.map(Self.executablePath) ?? "")
    }

    /// The running executable's path (argv[0] may be a bare name found on PATH).
    private static func executablePath(_ argumentZero: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? argumentZero
    }
}
