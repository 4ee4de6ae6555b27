import SesameAdmin
import SesameCore
import SesameSQL

/// Where directories meet the rest of the server's assembly.
enum DirectoryWiring {
    static func isDirectory(_ name: String) -> Bool {
        name == PrimaryAuthenticators.directoriesName || name.hasPrefix(DirectoryAuthenticator.prefix)
    }

    /// The `authenticators` setting as a list. Unset: `directories, local` (the directories part
    /// asks nobody while none is enabled, so this is `local` alone until one is). The names are
    /// checked now against the directories as configured; the directory entries themselves read
    /// the configurations at each sign-in, so admin API changes apply without a restart.
    static func authenticators(
        _ configuration: SesameConfiguration, store: SQLStore, directories: DirectoryRuntime
    ) throws -> [any PrimaryAuthenticator] {
        let names = configuration.authenticators.isEmpty
            ? [PrimaryAuthenticators.directoriesName, LocalPasswordAuthenticator.name] : configuration.authenticators
        _ = try PrimaryAuthenticators.make(
            names, users: store, hasher: configuration.hasher, work: InlineWork(), environment: configuration.environment,
            directories: directories.signIn(enabledOnly: false)
        )
        return try names.map { name -> any PrimaryAuthenticator in
            if isDirectory(name) { return LiveDirectoryAuthenticator(name: name, runtime: directories) }
            return try PrimaryAuthenticators.make(
                [name], users: store, hasher: configuration.hasher, work: HashingThreads.shared, environment: configuration.environment
            )[0]
        }
    }

    /// The admin API's directory routes: changes apply to this server at once.
    static func admin(_ runtime: DirectoryRuntime) -> AdminDirectories {
        AdminDirectories(
            store: runtime.store,
            sync: { name, actor in try await runtime.sync(name, actor: actor) },
            test: { name, login, password in try await runtime.diagnose(name, login: login, password: password) },
            changed: { try? await runtime.refresh() }
        )
    }
}
