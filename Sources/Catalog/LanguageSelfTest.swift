/// A language's hello world: the source a self-test writes to the language's source file, and exactly what
/// compiling and running it must print on stdout.
public struct LanguageSelfTest: Sendable, Equatable {
    public var source: String
    public var stdout: String

    public init(source: String, stdout: String) {
        self.source = source
        self.stdout = stdout
    }
}
