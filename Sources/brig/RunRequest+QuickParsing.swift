import ArgumentParser
import BrigCommandLine

extension RunRequest {
    /// `brig run`'s arguments read without ArgumentParser, whose reflection of the command's options cost
    /// ~3.5 ms of every run (more than the launch). Only the plain forms are read: each option at most once,
    /// as `--name value` or `--name=value` (`-e value` for the environment), then `--` and the command. Anything
    /// else (help, an unknown or repeated option, a value that looks like an option, a value that fails the
    /// checks `RunCommand` makes) gives nil, and ArgumentParser parses the arguments again and explains.
    /// `RunRequestParsingTests` holds the two to the same answers.
    init?(quickParsing arguments: [String]) {
        self.init()
        var seen: Set<String> = []
        var texts: [String: String] = [:]
        var environment: [String] = []
        var json = false
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            var name = arguments[index]
            var value: String?
            if name.hasPrefix("--"), let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            index += 1
            if name == "--json" {
                guard value == nil, !json else { return nil }
                json = true
                continue
            }
            guard Self.valueOptions.contains(name) else { return nil }
            if value == nil {
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                value = arguments[index]
                index += 1
            }
            if name == "-e" || name == "--env" {
                environment.append(value!)
            } else {
                guard seen.insert(name).inserted else { return nil }
                texts[name] = value
            }
        }
        // The command: everything after the first `--`, which must be there and be followed by something.
        guard index + 1 < arguments.count else { return nil }
        var cpus: Double?
        var pids: Int?
        if let text = texts["--cpus"] {
            guard let number = Double(text) else { return nil }
            cpus = number
        }
        if let text = texts["--pids"] {
            guard let number = Int(text) else { return nil }
            pids = number
        }
        do throws(ValidationError) {
            overrides = try LimitOptions.overrides(
                memory: texts["--memory"], wallTime: texts["--wall-time"], cpuTime: texts["--cpu-time"],
                cpus: cpus, pids: pids, output: texts["--output"])
            try Self.checkEnvironment(environment)
        } catch {
            return nil
        }
        catalog = texts["--catalog"]
        profile = texts["--profile"] ?? profile
        image = texts["--image"] ?? image
        runtimeDirectory = texts["--runtime-dir"] ?? runtimeDirectory
        self.environment = environment
        self.json = json
        command = Array(arguments[(index + 1)...])
    }

    /// The options that take a value, as `RunCommand` names them.
    private static let valueOptions: Set<String> = [
        "--catalog", "--profile", "--image", "--memory", "--wall-time", "--cpu-time", "--cpus", "--pids",
        "--output", "-e", "--env", "--runtime-dir",
    ]
}
