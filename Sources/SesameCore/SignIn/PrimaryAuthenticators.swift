/// Builds the ordered authenticator list from configuration (`authenticators: [local]`), so a new
/// authenticator is plugged in here and in no other place.
public enum PrimaryAuthenticators {
    public static let defaultNames = [LocalPasswordAuthenticator.name]

    /// - Parameter environment: where the test-only authenticator finds `SESAME_TESTING` and its
    ///   login and password (`SESAME_TEST_AUTHENTICATOR_LOGIN`, `SESAME_TEST_AUTHENTICATOR_PASSWORD`).
    public typealias ConfigurationError = PluginSetting.ConfigurationError

    public static func make(
        _ names: [String], users: any UserStore, hasher: PasswordHasher, work: any BlockingWork,
        environment: [String: String]
    ) throws(ConfigurationError) -> [any PrimaryAuthenticator] {
        let setting = PluginSetting(key: "authenticators")
        guard !names.isEmpty else { throw setting.error("name at least one, e.g. local") }
        return try setting.build(names) { name throws(ConfigurationError) -> any PrimaryAuthenticator in
            switch name {
            case LocalPasswordAuthenticator.name:
                return LocalPasswordAuthenticator(users: users, hasher: hasher, work: work)
            #if DEBUG
            case TestPasswordAuthenticator.name:
                let values = try setting.testOnly(
                    name, needs: ["SESAME_TEST_AUTHENTICATOR_LOGIN", "SESAME_TEST_AUTHENTICATOR_PASSWORD"], in: environment)
                return TestPasswordAuthenticator(login: values[0], password: values[1])
            #endif
            default:
                throw setting.error("unknown authenticator '\(name)' (known: \(LocalPasswordAuthenticator.name))")
            }
        }
    }
}
