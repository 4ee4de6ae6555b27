/// Authentication method reference values (RFC 8176 §2), the `amr` claim: how a person proved
/// who they are. Sessions, codes and tokens store them as their raw strings.
public enum AMR: String, Sendable, CaseIterable, Codable {
    case face, fpt, geo, hwk, iris, kba, mca, mfa, otp, pin, pop, pwd, rba, retina, sc, sms, swk, tel, user, vbm, wia

    /// The stored strings of `methods`, in order, each once.
    public static func values(_ methods: [AMR]) -> [String] {
        var seen = Set<AMR>()
        return methods.filter { seen.insert($0).inserted }.map(\.rawValue)
    }

    /// What a sign-in with a password alone records.
    public static let passwordOnly = values([.pwd])

    /// Whether stored `amr` strings say a second factor was used.
    public static func isMultiFactor(_ stored: [String]) -> Bool { stored.contains(AMR.mfa.rawValue) }
}
