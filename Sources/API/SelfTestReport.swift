public struct SelfTestReport: Sendable, Codable, Equatable {
    public var results: [SelfTestResult]

    public init(results: [SelfTestResult]) {
        self.results = results
    }
}
