/// The committed OpenAPI 3.1 document (Sources/Server/openapi.yaml), served at `GET /v1/openapi.yaml`.
///
/// Compiled into the executable (SwiftPM's `embedInCode`): a resource bundle would have to be installed beside
/// brig, and Foundation's `Bundle.module` ends the process when it is not there.
public enum OpenAPIDocument {
    public static let text = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
