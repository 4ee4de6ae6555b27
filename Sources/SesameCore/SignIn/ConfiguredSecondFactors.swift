import Foundation

/// Builds the second factors asked after the built-in ones (TOTP, recovery codes) from
/// configuration (`second-factors: [...]`), so a new factor is plugged in here and nowhere else.
public enum ConfiguredSecondFactors {
    /// - Parameter environment: where the test-only factor finds `SESAME_TESTING`, its code
    ///   (`SESAME_TEST_SECOND_FACTOR_CODE`) and whom it is enrolled for
    ///   (`SESAME_TEST_SECOND_FACTOR_USERS`, comma-separated usernames).
    public typealias ConfigurationError = PluginSetting.ConfigurationError

    public static func make(_ names: [String], environment: [String: String]) throws(ConfigurationError) -> [any SecondFactor] {
        let setting = PluginSetting(key: "second-factors")
        return try setting.build(names) { name throws(ConfigurationError) -> any SecondFactor in
            switch name {
            #if DEBUG
            case "test":
                let values = try setting.testOnly(
                    name, needs: ["SESAME_TEST_SECOND_FACTOR_CODE", "SESAME_TEST_SECOND_FACTOR_USERS"], in: environment)
                return FixedCodeFactor(code: values[0], usernames: values[1].split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            #endif
            default:
                throw setting.error("unknown second factor '\(name)' (TOTP and recovery codes are always on)")
            }
        }
    }
}
