import Foundation

/// The committed OpenAPI 3.1 document (Sources/Server/openapi.yaml), served at `GET /v1/openapi.yaml`.
public enum OpenAPIDocument {
    /// Read from the module's resource bundle; nil if the bundle was not installed beside the executable.
    public static func load() -> String? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
