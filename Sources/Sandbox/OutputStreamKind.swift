/// Which of the program's output streams.
public enum OutputStreamKind: String, Sendable {
    case stdout
    case stderr
}
