/// A wait(2) status decoded (the W* macros are not visible from Swift).
public enum WaitStatus: Equatable {
    case exited(Int32)
    case signaled(Int32)

    public init(_ raw: Int32) {
        let signal = raw & 0x7f
        self = signal == 0 ? .exited((raw >> 8) & 0xff) : .signaled(signal)
    }
}
