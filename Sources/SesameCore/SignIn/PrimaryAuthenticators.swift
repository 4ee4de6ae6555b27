/// Builds the ordered authenticator list from configuration (`authenticators: [local]`), so a new
/// authenticator is plugged in here and in no other place.
public enum PrimaryAuthenticators {
    public static let defaultNames = [LocalPasswordAuthenticator.name]
    /// Every enabled directory, in position order (`directory:NAME` names one).
    public static let directoriesName = "directories"

    /// When `authenticators` is not set: `local` alone while no directory is enabled; once one is,
    /// `directories, local`. Directories come first so that a person whose directory is down is
    /// told so and never reaches a local password of the same name; a local administrator then
    /// needs the directory up too (set `authenticators: local, directories` to keep local accounts
    /// independent of it: directory users have no local password, so `local` passes them on).
    public static func defaultNames(directories: [DirectoryConfiguration]) -> [String] {
        directories.contains(where: \.enabled) ? [directoriesName, LocalPasswordAuthenticator.name] : defaultNames
    }

    /// - Parameter environment: where the test-only authenticator finds `SESAME_TESTING` and its
    ///   login and password (`SESAME_TEST_AUTHENTICATOR_LOGIN`, `SESAME_TEST_AUTHENTICATOR_PASSWORD`).
    public typealias ConfigurationError = PluginSetting.ConfigurationError

    public static func make(
        _ names: [String], users: any UserStore, hasher: PasswordHasher, work: any BlockingWork,
        environment: [String: String], directories: DirectorySignIn? = nil
    ) throws(ConfigurationError) -> [any PrimaryAuthenticator] {
        let setting = PluginSetting(key: "authenticators")
        guard !names.isEmpty else { throw setting.error("name at least one, e.g. local") }
        // `directories` stands for `directory:A, directory:B, ...`; naming one of them twice is refused.
        var expanded: [String] = []
        for name in names {
            if name == directoriesName {
                expanded += (directories?.configurations ?? []).filter(\.enabled)
                    .sorted { ($0.position, $0.name) < ($1.position, $1.name) }.map(\.authenticatorName)
            } else {
                expanded.append(name)
            }
        }
        guard !expanded.isEmpty else { throw setting.error("'\(directoriesName)' names no enabled directory, and nothing else is listed") }
        return try setting.build(expanded) { name throws(ConfigurationError) -> any PrimaryAuthenticator in
            if name.hasPrefix(DirectoryAuthenticator.prefix) {
                let directoryName = String(name.dropFirst(DirectoryAuthenticator.prefix.count))
                guard let directories, let configuration = directories.configurations.first(where: { $0.name == directoryName }) else {
                    throw setting.error("no directory is named '\(directoryName)' (sesame directory list)")
                }
                return directories.authenticator(configuration)
            }
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
                throw setting.error("unknown authenticator '\(name)' (known: \(LocalPasswordAuthenticator.name), \(directoriesName), directory:NAME)")
            }
        }
    }
}

/// What `PrimaryAuthenticators.make` needs to build directory authenticators (the server gives it).
public struct DirectorySignIn: Sendable {
    public var configurations: [DirectoryConfiguration]
    public var store: any DirectoryStore
    public var users: any UserStore
    /// One gateway per configuration (the server keeps a pool per directory).
    public var gateway: @Sendable (DirectoryConfiguration) -> any DirectoryGateway
    public var clock: any WallClock
    public var random: any RandomSource

    public init(
        configurations: [DirectoryConfiguration], store: any DirectoryStore, users: any UserStore,
        gateway: @escaping @Sendable (DirectoryConfiguration) -> any DirectoryGateway, clock: any WallClock = SystemClock(),
        random: any RandomSource = SystemRandom()
    ) {
        self.configurations = configurations
        self.store = store
        self.users = users
        self.gateway = gateway
        self.clock = clock
        self.random = random
    }

    public func authenticator(_ configuration: DirectoryConfiguration) -> DirectoryAuthenticator {
        DirectoryAuthenticator(configuration: configuration, gateway: gateway(configuration), users: users, directories: store, clock: clock, random: random)
    }
}
