/// Sesame's authentication context class references, the `acr` values (OIDC Core §2) it puts in
/// ID tokens and accepts in `acr_values`: "1" for one factor, "2" for a second factor as well.
public enum AssuranceLevel: String, Sendable, CaseIterable, Comparable {
    case singleFactor = "1"
    case twoFactor = "2"

    /// The level a sign-in with these stored `amr` values reached.
    public init(methods: [String]) {
        self = AMR.isMultiFactor(methods) ? .twoFactor : .singleFactor
    }

    /// The highest level Sesame knows among space-separated `acr_values`, or nil when it knows
    /// none: values Sesame does not know are voluntary and ignored (OIDC Core §3.1.2.1).
    public static func requested(in acrValues: String?) -> AssuranceLevel? {
        (acrValues ?? "").split(separator: " ").compactMap { AssuranceLevel(rawValue: String($0)) }.max()
    }

    public static func < (a: AssuranceLevel, b: AssuranceLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
