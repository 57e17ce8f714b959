extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Foundation-free, so values parse the same everywhere).
    public var trimmingSpaces: SubSequence {
        trimming { $0 == " " || $0 == "\t" }
    }

    /// Without leading and trailing white space of any kind, line breaks included.
    public var trimmingWhitespace: SubSequence {
        trimming { $0.isWhitespace }
    }

    private func trimming(_ isSpace: (Character) -> Bool) -> SubSequence {
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
