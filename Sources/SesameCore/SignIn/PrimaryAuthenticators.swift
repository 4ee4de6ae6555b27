/// Builds the ordered authenticator list from configuration (`authenticators: [local]`), so a new
/// authenticator is plugged in here and in no other place.
public enum PrimaryAuthenticators {
    public static let defaultNames = [LocalPasswordAuthenticator.name]

    /// - Parameter environment: where the test-only authenticator finds `SESAME_TESTING` and its
    ///   login and password (`SESAME_TEST_AUTHENTICATOR_LOGIN`, `SESAME_TEST_AUTHENTICATOR_PASSWORD`).
    public static func make(
        _ names: [String], users: any UserStore, hasher: PasswordHasher, work: any BlockingWork,
        environment: [String: String]
    ) throws(ConfigurationError) -> [any PrimaryAuthenticator] {
        guard !names.isEmpty else { throw ConfigurationError("authenticators: name at least one, e.g. local") }
        var seen = Set<String>()
        return try names.map { name throws(ConfigurationError) -> any PrimaryAuthenticator in
            guard seen.insert(name).inserted else { throw ConfigurationError("authenticators: '\(name)' is listed twice") }
            switch name {
            case LocalPasswordAuthenticator.name:
                return LocalPasswordAuthenticator(users: users, hasher: hasher, work: work)
            #if DEBUG
            case TestPasswordAuthenticator.name:
                guard environment["SESAME_TESTING"] == "1" else {
                    throw ConfigurationError("authenticators: 'test' is for tests only and needs SESAME_TESTING=1")
                }
                guard let login = environment["SESAME_TEST_AUTHENTICATOR_LOGIN"], !login.isEmpty,
                    let password = environment["SESAME_TEST_AUTHENTICATOR_PASSWORD"], !password.isEmpty
                else {
                    throw ConfigurationError("authenticators: 'test' needs SESAME_TEST_AUTHENTICATOR_LOGIN and SESAME_TEST_AUTHENTICATOR_PASSWORD")
                }
                return TestPasswordAuthenticator(login: login, password: password)
            #endif
            default:
                throw ConfigurationError("authenticators: unknown authenticator '\(name)' (known: \(LocalPasswordAuthenticator.name))")
            }
        }
    }

    public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
