import API
import Catalog

/// A language manifest that passed its self-test, with the image it ran in: what a failing reload of that
/// language rolls back to.
struct KnownGoodLanguage: Sendable, Equatable {
    let image: String
    let language: Language
}
