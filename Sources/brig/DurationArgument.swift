import ArgumentParser
import Catalog

/// A duration given on the command line ("30s", "10m"), checked here so a typo is named before the daemon sees it.
enum DurationArgument {
    static func check(_ text: String, option: String) throws(ValidationError) {
        do {
            _ = try DurationText(parsing: text)
        } catch {
            throw ValidationError("\(option): \(error.reason)")
        }
    }
}
