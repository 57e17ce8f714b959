/// Jobs finished in the last `windowSeconds` and how many of them ended `internal_error`.
public struct ErrorRate: Sendable, Codable, Equatable {
    public var windowSeconds: Int
    public var finished: Int
    public var internalErrors: Int

    public init(windowSeconds: Int, finished: Int, internalErrors: Int) {
        self.windowSeconds = windowSeconds
        self.finished = finished
        self.internalErrors = internalErrors
    }

    enum CodingKeys: String, CodingKey {
        case finished, windowSeconds = "window_seconds", internalErrors = "internal_errors"
    }
}
