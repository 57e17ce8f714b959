import Testing
@testable import Catalog

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("10s", Duration.seconds(10)),
        ("500ms", .milliseconds(500)),
        ("2m", .seconds(120)),
        ("1.5s", .milliseconds(1500)),
        ("1h", .seconds(3600)),
        ("1.5h", .seconds(5400)),
        ("250us", .microseconds(250)),
        ("7ns", .nanoseconds(7)),
        ("0s", .zero),
        (" 10 s ", .seconds(10)),
        ("0.001s", .milliseconds(1)),
    ])
    func parses(text: String, duration: Duration) throws {
        #expect(try DurationText(parsing: text).duration == duration)
    }

    @Test(arguments: ["10", "", "s", "10x", "-5s", "1e3s", "10S", "10sec", "1m30s", ".5s", "10 ms ms", "10d"])
    func refusesWhatIsNotADuration(text: String) {
        #expect(throws: ValueFormatError(
            reason: "\"\(text)\" is not a duration: use a number with h, m, s, ms (or us, ns), e.g. \"10s\" or \"1.5s\""
        )) {
            try DurationText(parsing: text)
        }
    }

    @Test func refusesFractionsOfANanosecond() {
        #expect(throws: ValueFormatError(reason: "\"0.5ns\" is finer than a nanosecond")) {
            try DurationText(parsing: "0.5ns")
        }
    }

    @Test(arguments: ["9999999999h", "99999999999999999999999s"])
    func refusesWhatDoesNotFit(text: String) {
        #expect(throws: ValueFormatError(reason: "\"\(text)\" is too long")) {
            try DurationText(parsing: text)
        }
    }

    @Test(arguments: [
        (Duration.seconds(10), "10s"),
        (.milliseconds(500), "500ms"),
        (.seconds(120), "2m"),
        (.milliseconds(1500), "1.5s"),
        (.seconds(3600), "1h"),
        (.seconds(90), "90s"),
        (.seconds(5400), "90m"),
        (.seconds(9000), "150m"),
        (.seconds(86400), "24h"),
        (.microseconds(250), "250us"),
        (.nanoseconds(1), "1ns"),
        (.zero, "0s"),
        (.seconds(-2), "-2s"),
    ])
    func formatsShortestExact(duration: Duration, text: String) {
        #expect(DurationText(duration).description == text)
    }

    @Test(arguments: [Duration.seconds(10), .milliseconds(1), .milliseconds(1234), .nanoseconds(999_999_999),
                      .seconds(61), .seconds(86_399), .nanoseconds(Int64.max)])
    func formattingParsesBackToTheSameValue(duration: Duration) throws {
        let text = DurationText(duration).description
        #expect(try DurationText(parsing: text).duration == duration, "\(text)")
    }
}
