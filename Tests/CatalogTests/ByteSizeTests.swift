import Testing
@testable import Catalog

@Suite struct ByteSizeTests {
    static let sizes: [(String, UInt64)] = [
        ("256MiB", 268_435_456),
        ("1GiB", 1 << 30),
        ("512KiB", 512 << 10),
        ("64MB", 64_000_000),
        ("1000", 1000),
        ("1000B", 1000),
        ("1.5GiB", 1_610_612_736),
        ("0.5KiB", 512),
        ("2kB", 2000),
        ("1.25GB", 1_250_000_000),
        ("256 MiB", 256 << 20),
        ("  8MiB ", 8 << 20),
        ("0", 0),
        ("1.50MiB", 3 << 19),
        ("16GiB", 16 << 30),
    ]

    @Test(arguments: sizes)
    func parses(text: String, bytes: UInt64) throws {
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test(arguments: [
        "512XB", "", "MiB", "-1MiB", "+1MiB", "1e3", ".5MiB", "5.MiB", "1.2.3MiB", "12 34", "256mib", "256Mi",
        "1 MiB B", "0x10", "١٢MiB",
    ])
    func refusesWhatIsNotASize(text: String) {
        #expect(throws: ValueFormatError(
            reason: "\"\(text)\" is not a size: use a number with B, KiB, MiB, GiB (or kB, MB, GB)"
        )) {
            try ByteSize(parsing: text)
        }
    }

    @Test func refusesFractionsOfAByte() {
        #expect(throws: ValueFormatError(reason: "\"0.1GiB\" is not a whole number of bytes: use a smaller unit")) {
            try ByteSize(parsing: "0.1GiB")
        }
    }

    @Test(arguments: ["17179869184GiB", "18446744073709551616", "99999999999999999999999B"])
    func refusesWhatDoesNotFit(text: String) {
        #expect(throws: ValueFormatError(reason: "\"\(text)\" is too large")) {
            try ByteSize(parsing: text)
        }
    }

    @Test func largestValueFits() throws {
        #expect(try ByteSize(parsing: "18446744073709551615").bytes == .max)
    }

    static let formatted: [(UInt64, String)] = [
        (268_435_456, "256MiB"),
        (1 << 30, "1GiB"),
        (1_610_612_736, "1.5GiB"),
        (512 << 10, "512KiB"),
        (1000, "1000B"),
        (1536, "1536B"),
        (1, "1B"),
        (0, "0B"),
        (64_000_000, "62500KiB"),
        (3 << 29, "1.5GiB"),
        (1 << 40, "1024GiB"),
    ]

    @Test(arguments: formatted)
    func formatsInTheShortestExactBinaryUnit(bytes: UInt64, text: String) {
        #expect(ByteSize(bytes: bytes).description == text)
    }

    @Test(arguments: [UInt64(0), 1, 1000, 1023, 1025, 4095, 64_000_000, 1_610_612_736, 123_456_789, .max])
    func formattingParsesBackToTheSameValue(bytes: UInt64) throws {
        let text = ByteSize(bytes: bytes).description
        #expect(try ByteSize(parsing: text).bytes == bytes, "\(text)")
    }
}
