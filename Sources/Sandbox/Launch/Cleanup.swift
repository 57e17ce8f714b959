/// Undo actions for one run, performed last-first exactly once.
struct Cleanup {
    private var actions: [() throws(SandboxError) -> Void] = []

    mutating func add(_ action: @escaping () throws(SandboxError) -> Void) {
        actions.append(action)
    }

    /// Runs everything; returns the first failure's text (the rest are still run).
    mutating func runReportingFirstError() -> String? {
        var first: String?
        while let action = actions.popLast() {
            do throws(SandboxError) {
                try action()
            } catch {
                first = first ?? error.description
            }
        }
        return first
    }

    mutating func run() {
        _ = runReportingFirstError()
    }
}
