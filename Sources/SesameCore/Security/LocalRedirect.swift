/// Where a person may be sent after signing in: only a path on this server. Anything that a
/// browser could read as another host (`//host`, `/\host`, `https://host`) is refused.
public enum LocalRedirect {
    public static func validated(_ target: String?, fallback: String = "/account") -> String {
        guard let target, isLocalPath(target) else { return fallback }
        return target
    }

    public static func isLocalPath(_ target: String) -> Bool {
        guard target.hasPrefix("/"), target.count <= 2048 else { return false }
        let second = target.dropFirst().first
        if second == "/" || second == "\\" { return false }
        // Browsers treat a backslash as a slash and drop tabs and newlines before parsing.
        return !target.unicodeScalars.contains { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f }
    }
}
