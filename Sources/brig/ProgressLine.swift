import DaemonClient

/// "brig: queued 1.2s" on stderr while a job waits, redrawn in place; only on a terminal, and only while the
/// cursor is at the start of a line (redrawing would erase a line the program has half written).
final class ProgressLine {
    private let enabled: Bool
    private var shown = false
    private var atLineStart = true

    init(enabled: Bool = StandardStream.error.isTerminal) {
        self.enabled = enabled
    }

    func show(_ text: String) {
        guard enabled, atLineStart else { return }
        // Carriage return, then erase the line: the new text replaces the old in place.
        StandardStream.error.write("\r\u{1B}[2Kbrig: \(text)")
        shown = true
    }

    /// Removes the line, before output or at the end.
    func clear() {
        guard shown else { return }
        StandardStream.error.write("\r\u{1B}[2K")
        shown = false
    }

    /// Output went to the terminal: the progress line may come back only after a newline.
    func noteOutput(_ bytes: [UInt8]) {
        if let last = bytes.last { atLineStart = last == UInt8(ascii: "\n") }
    }
}
