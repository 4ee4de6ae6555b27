/// The one check, shared by Sesame and the app toolkit, that a `return_to` is a path on this site
/// and nothing a browser could read as another host.
public enum LocalPath {
    /// Long enough for an authorization request carrying a few kilobytes of `state`, and bounded.
    public static let maximumLength = 16 * 1024

    /// Checked on UTF-8 bytes, never `Character`s: `/` followed by a combining mark is one
    /// `Character`, and browsers drop such marks, tabs and newlines, and read `\` as `/`. So: only
    /// printable ASCII without `\`, starting with `/` but not `//`.
    public static func isLocal(_ target: String) -> Bool {
        let bytes = target.utf8
        guard bytes.first == UInt8(ascii: "/"), bytes.count <= maximumLength else { return false }
        if bytes.dropFirst().first == UInt8(ascii: "/") { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\\") }
    }
}
