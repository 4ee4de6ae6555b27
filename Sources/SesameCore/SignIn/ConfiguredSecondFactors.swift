import Foundation

/// Builds the second factors asked after the built-in ones (TOTP, recovery codes) from
/// configuration (`second-factors: [...]`), so a new factor is plugged in here and nowhere else.
public enum ConfiguredSecondFactors {
    /// - Parameter environment: where the test-only factor finds `SESAME_TESTING`, its code
    ///   (`SESAME_TEST_SECOND_FACTOR_CODE`) and whom it is enrolled for
    ///   (`SESAME_TEST_SECOND_FACTOR_USERS`, comma-separated usernames).
    public static func make(_ names: [String], environment: [String: String]) throws(ConfigurationError) -> [any SecondFactor] {
        var seen = Set<String>()
        return try names.map { name throws(ConfigurationError) -> any SecondFactor in
            guard seen.insert(name).inserted else { throw ConfigurationError("second-factors: '\(name)' is listed twice") }
            switch name {
            #if DEBUG
            case "test":
                guard environment["SESAME_TESTING"] == "1" else {
                    throw ConfigurationError("second-factors: 'test' is for tests only and needs SESAME_TESTING=1")
                }
                guard let code = environment["SESAME_TEST_SECOND_FACTOR_CODE"], !code.isEmpty,
                    let users = environment["SESAME_TEST_SECOND_FACTOR_USERS"], !users.isEmpty
                else {
                    throw ConfigurationError("second-factors: 'test' needs SESAME_TEST_SECOND_FACTOR_CODE and SESAME_TEST_SECOND_FACTOR_USERS")
                }
                return FixedCodeFactor(code: code, usernames: users.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            #endif
            default:
                throw ConfigurationError("second-factors: unknown second factor '\(name)' (TOTP and recovery codes are always on)")
            }
        }
    }

    public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
