/// A programming language an image provides (sandbox-images/IMAGE/languages/NAME.toml): where a job's source
/// goes, how to compile it (if at all), how to run it, how to ask its version and how to check it works.
/// Adding a language is adding such a file; nothing here knows any language by name.
public struct Language: Sendable, Equatable {
    /// The file's name without ".toml" ("python"); what a job's `language` names.
    public var name: String
    /// The image whose filesystem the commands run in.
    public var image: String
    /// For people: "Python 3".
    public var displayName: String
    /// File name endings that mean this language (".py"), each starting with ".".
    public var extensions: [String]
    /// The file in /work that a job's `source` is written to ("main.py", "Main.java").
    public var sourceFile: String
    /// A command whose first line of output is the version shown to users.
    public var versionCommand: [String]
    /// Run in /work before `runCommand`, with the profile's compile limits; nil for interpreted languages.
    public var compileCommand: [String]?
    /// Run in /work with the profile's limits; a job's arguments are appended.
    public var runCommand: [String]
    /// Variables added to (or replacing) the image's environment for every command of this language.
    public var environment: [String: String]
    /// A program that must print exactly the expected output: the language's self-test.
    public var hello: LanguageSelfTest

    public init(
        name: String, image: String, displayName: String, extensions: [String], sourceFile: String,
        versionCommand: [String], compileCommand: [String]? = nil, runCommand: [String],
        environment: [String: String] = [:], hello: LanguageSelfTest
    ) {
        self.name = name
        self.image = image
        self.displayName = displayName
        self.extensions = extensions
        self.sourceFile = sourceFile
        self.versionCommand = versionCommand
        self.compileCommand = compileCommand
        self.runCommand = runCommand
        self.environment = environment
        self.hello = hello
    }

    public var isCompiled: Bool { compileCommand != nil }

    /// The run command with a job's arguments after it.
    public func runCommand(arguments: [String]) -> [String] {
        runCommand + arguments
    }

    /// The environment this language's commands start with: `base` (the image's) with this language's
    /// variables on top.
    public func environment(over base: [String: String]) -> [String: String] {
        base.merging(environment) { _, own in own }
    }

    /// What a version probe printed, as shown to users: the first non-blank line of stdout, or of stderr for
    /// tools that print their version there (`java -version`); nil when both are blank.
    public static func versionLine(stdout: String, stderr: String) -> String? {
        for text in [stdout, stderr] {
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = String(line).trimmingSpaces
                if !trimmed.isEmpty { return String(trimmed) }
            }
        }
        return nil
    }
}
