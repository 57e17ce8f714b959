import ArgumentParser
import Catalog
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Where the operator's profiles and sandbox images come from.
package struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A folder with profiles/ and sandbox-images/.",
        discussion: "Default: $BRIG_CATALOG, then /etc/brig, then the checkout brig was built in, then the built-in default profile and host image."))
    package var catalog: String?

    package init() {}

    package func resolve() throws(CatalogError) -> OperatorCatalog {
        try OperatorCatalog.locate(explicit: catalog, executable: Self.executable)
    }

    /// The catalog's folder, found without loading it; nil for the built-in profile and image.
    package func directory() -> String? {
        Self.directory(explicit: catalog)
    }

    /// The folder for a `--catalog` value (nil: none given), found without loading it; nil for the built-in pair.
    package static func directory(explicit: String?) -> String? {
        OperatorCatalog.directory(explicit: explicit, executable: executable)
    }

    /// The running executable, where a checkout's catalog is looked for.
    private static var executable: String { ProcessEnvironment.executable ?? CommandLine.arguments.first ?? "" }
}
