/// brig's version: `brig --version`, and the daemon's in `GET /v1/admin/health`.
public enum BrigVersion {
    public static let current = "0.5.0-dev"
}
