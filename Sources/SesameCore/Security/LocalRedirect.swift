import SesameModels

/// Where a person may be sent after signing in: only a path on this server (`LocalPath`, the check
/// the app toolkit uses too); anything else becomes `fallback`.
public enum LocalRedirect {
    public static func validated(_ target: String?, fallback: String = "/account") -> String {
        guard let target, isLocalPath(target) else { return fallback }
        return target
    }

    public static func isLocalPath(_ target: String) -> Bool {
        LocalPath.isLocal(target)
    }
}
