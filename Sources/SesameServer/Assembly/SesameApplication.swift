import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import SesameAdmin
import SesameCore
import SesameModels
import SesameSQL
import ServiceLifecycle

extension SesameServer {
    /// Builds a whole Sesame on an opened store: signing keys made when missing and loaded, the
    /// served issuer recorded, sign-in, two-step verification, OAuth/OIDC, CAS and the admin API
    /// wired, and the background work (audit flush, key refresh, purges, the store's close) ready
    /// to run beside the server. `sesame serve` is this call after parsing its settings.
    ///
    /// Tests use it in-process, with Hummingbird's test client instead of a socket:
    /// ```swift
    /// let store = try await SQLiteStore.open(path: directory + "/sesame.db", logger: logger)
    /// let sesame = try await SesameServer.make(
    ///     store: store, dataKey: DataKey(bytes: Array(repeating: 1, count: 32))!, clock: clock, random: random,
    ///     configuration: SesameConfiguration(issuer: URL(string: "http://127.0.0.1:8080")!, hasher: fastHasher), logger: logger)
    /// try await sesame.application().test(.router) { client in ... }  // the store is closed when it returns
    /// ```
    /// On failure the store is closed before the error is thrown; once built, the application's
    /// store service owns closing it (after the server has drained and the audit trail is flushed).
    public static func make(
        store: SQLStore, dataKey: DataKey, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom(),
        configuration: SesameConfiguration, logger: Logger
    ) async throws -> SesameApplication {
        do {
            return try await assemble(store: store, dataKey: dataKey, clock: clock, random: random, configuration: configuration, logger: logger)
        } catch {
            try? await store.close()
            throw error
        }
    }

    private static func assemble(
        store: SQLStore, dataKey: DataKey, clock: any WallClock, random: any RandomSource, configuration: SesameConfiguration, logger: Logger
    ) async throws -> SesameApplication {
        let tokenSettings = configuration.tokenSettings
        let ring = SigningKeyRing(store: store, sealer: dataKey.sealer, clock: clock)
        for key in try await ring.ensureKeys() {
            logger.info("signing key ready", metadata: ["kid": "\(key.kid)", "alg": "\(key.algorithm)"])
        }
        let keys = KeySetHolder(try await ring.load(publishFor: tokenSettings.keyRetention))
        // The CLI signs the logout tokens of the sessions it ends with this issuer, as the server does.
        try await store.recordServedIssuer(tokenSettings.issuer, at: clock.now())
        let audit = AuditTrail(store: store, clock: clock, lines: configuration.auditLines)
        let sessions = SessionService(store: store, settings: configuration.sessions, clock: clock, random: random)

        let directories = DirectoryRuntime(
            store: SealedDirectoryStore(store: store, sealer: dataKey.sealer), users: store, sessions: store, twoFactor: store, audit: audit,
            clock: clock, random: random
        )
        try await directories.refresh()
        let authenticators = try DirectoryWiring.authenticators(configuration, store: store, directories: directories)
        if authenticators.contains(where: { $0.name != LocalPasswordAuthenticator.name && !DirectoryWiring.isDirectory($0.name) }) {
            logger.warning("sign-in authenticators: \(authenticators.map(\.name).joined(separator: ", ")); the test authenticator is for tests only")
        }
        var signIn = SignInService(users: store, throttle: store, authenticators: authenticators, clock: clock)
        signIn.audit = audit
        let extraFactors = try ConfiguredSecondFactors.make(configuration.secondFactors, environment: configuration.environment)
        if !extraFactors.isEmpty {
            logger.warning("second factors beyond TOTP and recovery codes: \(extraFactors.map(\.name).joined(separator: ", ")); the test factor is for tests only")
        }
        var twoFactor = TwoFactorService(
            store: store, throttle: store, dataKey: dataKey, issuer: "Sesame", clock: clock, random: random, additionalFactors: extraFactors
        )
        twoFactor.audit = audit
        let casTickets = CASTickets(store: store, users: store, sealer: dataKey.sealer)
        var dependencies = ServerDependencies(
            users: store, health: store, signIn: signIn, sessions: sessions, csrf: dataKey.csrf,
            oauth: OAuthWiring.make(
                store: store, keys: keys, settings: tokenSettings, audit: audit, twoFactor: twoFactor, dataKey: dataKey, clock: clock, random: random
            ),
            twoFactor: TwoFactorDependencies(service: twoFactor, transactions: SignInTransactions(store: store), audit: audit),
            cas: CASDependencies(
                tickets: casTickets, singleLogout: SingleLogout(tickets: casTickets, logger: logger), audit: audit,
                allowInsecureProxyCallback: configuration.insecureProxyCallbackForTests
            ),
            audit: audit
        )
        dependencies.admin = AdminDependencies(
            users: store, sessions: store, access: store, clients: ClientManagement(store: store), cas: store,
            twoFactor: store, keys: ring, signingKeys: store, auditStore: store, audit: audit, hasher: configuration.hasher
        )
        dependencies.directories = directories
        directories.use(termination: SesameServer.sessionTermination(dependencies: dependencies, clock: clock, random: random))
        dependencies.admin?.directories = DirectoryWiring.admin(directories)
        if configuration.insecureProxyCallbackForTests {
            logger.warning("--insecure-proxy-callback-for-tests is on: CAS proxy-granting tickets may be sent over plain http on loopback; never use this outside tests")
        }
        return SesameApplication(
            dependencies: dependencies, configuration: configuration, store: store, audit: audit, clock: clock, random: random,
            services: [
                StoreService(store: store, sessions: sessions, logger: logger),
                BackgroundWork(
                    store: store, audit: audit, ring: ring, keys: keys, retention: tokenSettings.keyRetention,
                    keyRefresh: configuration.keyRefreshInterval, clock: clock, logger: logger
                ),
                DirectoryBackground(
                    runtime: directories, refresh: configuration.directoryRefreshInterval, check: configuration.directoryCheckInterval, logger: logger
                ),
            ],
            logger: logger
        )
    }
}

/// A Sesame ready to run: its routes, what they call into, and the services that run beside the
/// server (audit flush, key refresh, purges, and the store's close at shutdown).
public struct SesameApplication: Sendable {
    /// What the routes call into; tests reach the store, audit trail and keys through it.
    public let dependencies: ServerDependencies
    public let configuration: SesameConfiguration
    public let store: SQLStore
    public let audit: AuditTrail
    let clock: any WallClock
    let random: any RandomSource
    let services: [any Service]
    let logger: Logger

    public var router: Router<SesameRequestContext> {
        SesameServer.router(dependencies: dependencies, settings: configuration.serverSettings, clock: clock, random: random)
    }

    /// The Hummingbird application with the background services; `test(.router)` runs them too and
    /// shuts them down (closing the store) when the test body returns.
    public func application() throws -> some ApplicationProtocol {
        let settings = configuration.serverSettings
        return Application(
            router: router,
            server: try settings.tls.map {
                try .tls(.http1(), tlsConfiguration: try SesameServer.tlsConfiguration(certificateChain: $0.certificateChain, privateKey: $0.privateKey))
            } ?? .http1(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            services: services,
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT, then lets in-flight requests finish and stops the services.
    public func run() async throws {
        try await application().runService()
    }
}
