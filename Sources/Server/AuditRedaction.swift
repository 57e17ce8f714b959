/// What the audit log must not keep: the value of anything keyed like a secret (token, secret, password, key,
/// credential, auth, cookie), environment values, and `NAME=value` assignments of secret-looking names inside
/// free text. The key stays, so the log still says that something was there.
public enum AuditRedaction {
    public static let placeholder = "[redacted]"

    static let secretWords = ["token", "secret", "password", "passwd", "key", "credential", "auth", "cookie"]
    static let environmentKeys: Set<String> = ["env", "environment"]

    public static func isSecret(key: String) -> Bool {
        let lowered = key.lowercased()
        return environmentKeys.contains(lowered) || lowered.hasPrefix("env.") || lowered.hasPrefix("env_")
            || secretWords.contains { lowered.contains($0) }
    }

    public static func redact(_ detail: [String: String]) -> [String: String] {
        var redacted: [String: String] = [:]
        for (key, value) in detail {
            redacted[key] = isSecret(key: key) ? placeholder : redact(message: value)
        }
        return redacted
    }

    /// "TOKEN=abc123 ran" becomes "TOKEN=[redacted] ran"; "API_KEY: abc" becomes "API_KEY: [redacted]".
    public static func redact(message: String) -> String {
        var words: [Substring] = []
        var redactNext = false
        for word in message.split(separator: " ", omittingEmptySubsequences: false) {
            if redactNext && !word.isEmpty {
                words.append(Substring(placeholder))
                redactNext = false
                continue
            }
            if let equals = word.firstIndex(where: { $0 == "=" || $0 == ":" }), equals != word.startIndex {
                let name = word[..<equals]
                if isSecret(key: String(name)) {
                    let rest = word[word.index(after: equals)...]
                    if rest.isEmpty {
                        // "password: hunter2": the value is the next word.
                        redactNext = true
                        words.append(word)
                    } else {
                        words.append(word[...equals] + placeholder)
                    }
                    continue
                }
            }
            words.append(word)
        }
        return words.joined(separator: " ")
    }
}
