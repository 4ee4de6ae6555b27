/// What the sign-in pipeline's configurable lists (`authenticators`, `second-factors`) share: the
/// names are unique, and a test-only entry exists in debug builds and needs `SESAME_TESTING=1`
/// plus its own settings from the environment.
public struct PluginSetting: Sendable {
    /// The configuration key, named in every error.
    public let key: String

    public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public init(key: String) { self.key = key }

    public func error(_ message: String) -> ConfigurationError {
        ConfigurationError("\(key): \(message)")
    }

    /// Each name built once, in order; a name listed twice is refused.
    public func build<Plugin>(_ names: [String], _ make: (String) throws(ConfigurationError) -> Plugin) throws(ConfigurationError) -> [Plugin] {
        var seen = Set<String>()
        return try names.map { name throws(ConfigurationError) -> Plugin in
            guard seen.insert(name).inserted else { throw error("'\(name)' is listed twice") }
            return try make(name)
        }
    }

    /// The environment values a test-only entry needs, once `SESAME_TESTING=1` is checked.
    public func testOnly(_ name: String, needs variables: [String], in environment: [String: String]) throws(ConfigurationError) -> [String] {
        guard environment["SESAME_TESTING"] == "1" else { throw error("'\(name)' is for tests only and needs SESAME_TESTING=1") }
        let values = variables.map { environment[$0] ?? "" }
        guard !values.contains(where: \.isEmpty) else { throw error("'\(name)' needs \(variables.joined(separator: " and "))") }
        return values
    }
}
