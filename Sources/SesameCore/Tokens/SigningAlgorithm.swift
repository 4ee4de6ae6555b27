/// The JWS algorithms Sesame signs with (RFC 7518 §3), registered once: keys, clients' choices
/// and discovery all read this list.
public enum SigningAlgorithm: String, Sendable, CaseIterable, Codable {
    /// The default: access tokens and, unless a client asks otherwise, ID tokens.
    case es256 = "ES256"
    case rs256 = "RS256"

    public static var names: [String] { allCases.map(\.rawValue) }
}
