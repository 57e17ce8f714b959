import ArgumentParser

@main
struct Brig: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A sandboxed code-execution service for Linux.")
}
