/// Sesame's `acr` values: "1" for a password alone, "2" for a password and a second factor.
/// A client asking for `acr_values=2` gets a two-factor sign-in or an error.
public enum AuthenticationLevel {
    public static let password = "1"
    public static let twoFactor = "2"
    public static let supported = [password, twoFactor]

    public static func acr(for methods: [String]) -> String {
        AMR.isMultiFactor(methods) ? twoFactor : password
    }
}
