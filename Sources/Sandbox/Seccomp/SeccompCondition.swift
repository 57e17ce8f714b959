/// A test on one argument of a system call: `(argument & mask) == value`.
///
/// The mask does the work: a mask of `0xFFFF_FFFF` compares only the low 32 bits (what the kernel reads of
/// an `unsigned int` argument, so high garbage bits cannot slip past), and a one-bit mask with the same value
/// asks "is this flag set".
public struct SeccompCondition: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The argument's index, 0...5.
    public let argument: UInt32
    public let mask: UInt64
    public let value: UInt64

    public init(argument: UInt32, mask: UInt64, value: UInt64) {
        self.argument = argument
        self.mask = mask
        self.value = value
    }

    /// True when the argument has `flag` set (every bit of it).
    public static func argument(_ argument: UInt32, hasFlag flag: UInt64) -> SeccompCondition {
        SeccompCondition(argument: argument, mask: flag, value: flag)
    }

    /// True when the argument's low 32 bits are `value`; the high half is ignored, as the kernel does.
    public static func argument(_ argument: UInt32, low32BitsEqual value: UInt32) -> SeccompCondition {
        SeccompCondition(argument: argument, mask: 0xFFFF_FFFF, value: UInt64(value))
    }

    public var description: String {
        "arg\(argument) & 0x\(String(mask, radix: 16)) == 0x\(String(value, radix: 16))"
    }
}
