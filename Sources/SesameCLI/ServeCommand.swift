import ArgumentParser
import Foundation
import Logging
import SesameAdmin
import SesameCore
import SesameModels
import SesameSQL
import SesameSQLite
import SesameServer
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Sesame server.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on, HOST:PORT (env SESAME_LISTEN; default 127.0.0.1:8080).")
    var listen: String?

    @Option(help: "Public base URL of this server (env SESAME_ISSUER; default http:// and the listen address).")
    var issuer: String?

    @Option(help: "End a session after this long unused, e.g. 30m, 8h (env SESAME_SESSION_IDLE_TIMEOUT; default 8h).")
    var sessionIdleTimeout: String?

    @Option(help: "End a session this long after sign-in, e.g. 12h, 7d (env SESAME_SESSION_LIFETIME; default 7d).")
    var sessionLifetime: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env SESAME_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "Lifetime of access tokens, e.g. 10m (env SESAME_ACCESS_TOKEN_LIFETIME; default 10m).")
    var accessTokenLifetime: String?

    // Deliberately a flag only (no environment variable or config key), so it cannot be left on unseen.
    @Flag(name: .customLong("insecure-proxy-callback-for-tests"),
          help: "FOR TESTS ONLY: let CAS proxy-granting tickets go to plain http callbacks on loopback. Logs a warning at start.")
    var insecureProxyCallbackForTests = false

    @Option(help: "Answer a used refresh token again within this time, e.g. 10s, instead of revoking (env SESAME_REFRESH_GRACE_PERIOD; default 0: off).")
    var refreshGracePeriod: String?

    @Option(name: .customLong("trusted-proxy"), help: "Believe X-Forwarded-For and X-Forwarded-Proto from this proxy address or CIDR block; repeatable (env SESAME_TRUSTED_PROXIES, comma-separated).")
    var trustedProxies: [String] = []

    @Option(help: "How often to reload signing keys from the database, so a rotation on one instance reaches the others, e.g. 10s (env SESAME_KEY_REFRESH_INTERVAL; default 10s).")
    var keyRefreshInterval: String?

    @Option(help: "Also write each audit event as a JSON line to stdout, stderr or a file (env SESAME_AUDIT_LOG; default: off).")
    var auditLog: String?

    @Option(help: "Serve HTTPS with this PEM certificate chain (with --tls-key; env SESAME_TLS_CERT). Without it, put a TLS-terminating proxy in front.")
    var tlsCert: String?

    @Option(help: "The PEM private key for --tls-cert (env SESAME_TLS_KEY).")
    var tlsKey: String?

    @Option(name: .customLong("authenticator"), help: "A primary authenticator to ask at sign-in, in the order given; repeatable (env SESAME_AUTHENTICATORS, comma-separated; default local).")
    var authenticators: [String] = []

    @Option(name: .customLong("second-factor"), help: "A second factor to offer after TOTP and recovery codes; repeatable (env SESAME_SECOND_FACTORS, comma-separated; default none).")
    var secondFactors: [String] = []

    func run() async throws {
        try await reportingErrors {
            var settings = try common.resolved()
            if !secondFactors.isEmpty { settings.secondFactors = secondFactors.joined(separator: ",") }
            if let tlsCert { settings.tlsCert = tlsCert }
            if let auditLog { settings.auditLog = auditLog }
            if let tlsKey { settings.tlsKey = tlsKey }
            if !authenticators.isEmpty { settings.authenticators = authenticators.joined(separator: ",") }
            if !trustedProxies.isEmpty { settings.trustedProxies = trustedProxies.joined(separator: ",") }
            if let keyRefreshInterval { settings.keyRefreshInterval = keyRefreshInterval }
            if let listen { settings.listen = listen }
            if let issuer { settings.issuer = issuer }
            if let sessionIdleTimeout { settings.sessionIdleTimeout = sessionIdleTimeout }
            if let sessionLifetime { settings.sessionLifetime = sessionLifetime }
            if let logLevel { settings.logLevel = logLevel }
            if let accessTokenLifetime { settings.accessTokenLifetime = accessTokenLifetime }
            if let refreshGracePeriod { settings.refreshGracePeriod = refreshGracePeriod }
            try await serve(settings)
        }
    }

    private func serve(_ settings: Settings) async throws {
        guard let level = Logger.Level(rawValue: settings.logLevel) else {
            throw CLIError("log level '\(settings.logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let (host, port) = try Settings.parseListen(settings.listen)
        let issuerURL = try Settings.parseIssuer(settings.issuer ?? Settings.defaultIssuer(listen: settings.listen))
        let trusted = try Settings.parseTrustedProxies(settings.trustedProxies)
        let keyRefresh = try Settings.parseDuration(settings.keyRefreshInterval, name: "key refresh interval")
        let tls: (certificateChain: String, privateKey: String)?
        switch (settings.tlsCert, settings.tlsKey) {
        case (let cert?, let key?): tls = (cert, key)
        case (nil, nil): tls = nil
        default: throw CLIError("--tls-cert and --tls-key go together")
        }
        let sessionSettings = SessionSettings(
            idleTimeout: try Settings.parseDuration(settings.sessionIdleTimeout, name: "session idle timeout"),
            absoluteLifetime: try Settings.parseDuration(settings.sessionLifetime, name: "session lifetime")
        )

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sesame")

        let tokenSettings = TokenSettings(
            issuer: issuerURL.absoluteString,
            accessTokenLifetime: try Settings.parseDuration(settings.accessTokenLifetime, name: "access token lifetime"),
            refreshGracePeriod: settings.refreshGracePeriod == "0" ? 0 : try Settings.parseDuration(settings.refreshGracePeriod, name: "refresh grace period")
        )

        if let tls { _ = try SesameServer.tlsConfiguration(certificateChain: tls.certificateChain, privateKey: tls.privateKey) }
        let runtime = try await Runtime.open(settings, logger: logger)
        let ring: SigningKeyRing, keys: KeySetHolder, audit: AuditTrail, sessions: SessionService
        var dependencies: ServerDependencies
        do {
            // Until the server runs (and its store service owns closing), a failure closes the store here.
            ring = SigningKeyRing(store: runtime.store, sealer: runtime.dataKey.sealer)
            for key in try await ring.ensureKeys() {
                logger.info("signing key ready", metadata: ["kid": "\(key.kid)", "alg": "\(key.algorithm)"])
            }
            keys = KeySetHolder(try await ring.load(publishFor: tokenSettings.keyRetention))
            // The CLI signs the logout tokens of the sessions it ends with this issuer, as the server does.
            try await runtime.store.recordServedIssuer(issuerURL.absoluteString, at: Date())
            audit = AuditTrail(store: runtime.store, lines: try AuditLogSink.make(settings.auditLog))

            sessions = SessionService(store: runtime.store, settings: sessionSettings)
            let authenticators: [any PrimaryAuthenticator]
            do {
                authenticators = try PrimaryAuthenticators.make(
                    Settings.parseAuthenticators(settings.authenticators), users: runtime.store, hasher: runtime.hasher, work: ThreadPoolWork(),
                    environment: ProcessInfo.processInfo.environment
                )
            } catch {
                throw CLIError(error.description)
            }
            if authenticators.contains(where: { $0.name != LocalPasswordAuthenticator.name }) {
                logger.warning("sign-in authenticators: \(authenticators.map(\.name).joined(separator: ", ")); the test authenticator is for tests only")
            }
            var signIn = SignInService(users: runtime.store, throttle: runtime.store, authenticators: authenticators)
            signIn.audit = audit
            let extraFactors: [any SecondFactor]
            do {
                extraFactors = try ConfiguredSecondFactors.make(
                    Settings.parseAuthenticators(settings.secondFactors), environment: ProcessInfo.processInfo.environment
                )
            } catch {
                throw CLIError(error.description)
            }
            if !extraFactors.isEmpty {
                logger.warning("second factors beyond TOTP and recovery codes: \(extraFactors.map(\.name).joined(separator: ", ")); the test factor is for tests only")
            }
            var twoFactor = TwoFactorService(
                store: runtime.store, throttle: runtime.store, dataKey: runtime.dataKey, issuer: "Sesame", additionalFactors: extraFactors
            )
            twoFactor.audit = audit
            dependencies = ServerDependencies(
                users: runtime.store, health: runtime.store,
                signIn: signIn,
                sessions: sessions, csrf: runtime.dataKey.csrf,
                oauth: OAuthWiring.make(store: runtime.store, keys: keys, settings: tokenSettings, audit: audit, twoFactor: twoFactor, dataKey: runtime.dataKey),
                twoFactor: TwoFactorDependencies(service: twoFactor, transactions: SignInTransactions(store: runtime.store), audit: audit),
                cas: CASDependencies(
                    tickets: runtime.casTickets, singleLogout: SingleLogout(tickets: runtime.casTickets, logger: logger), audit: audit,
                    allowInsecureProxyCallback: insecureProxyCallbackForTests
                ),
                audit: audit
            )
            dependencies.admin = AdminDependencies(
                users: runtime.store, sessions: runtime.store, access: runtime.store, clients: ClientService(store: runtime.store), cas: runtime.store,
                twoFactor: runtime.store, keys: ring, signingKeys: runtime.store, auditStore: runtime.store, audit: audit, hasher: runtime.hasher
            )
        } catch {
            try? await runtime.store.close()
            throw error
        }
        if insecureProxyCallbackForTests {
            logger.warning("--insecure-proxy-callback-for-tests is on: CAS proxy-granting tickets may be sent over plain http on loopback; never use this outside tests")
        }
        logger.info("sesame listening", metadata: [
            "listen": "\(settings.listen)", "issuer": "\(issuerURL.absoluteString)",
            "store": "\(runtime.store.database.dialect.name)", "trusted-proxies": "\(trusted.map(\.description).joined(separator: ","))",
        ])
        try await SesameServer.run(
            dependencies: dependencies,
            settings: ServerSettings(host: host, port: port, issuer: issuerURL, trustedProxies: trusted, tls: tls),
            services: [
                StoreService(store: runtime.store, sessions: sessions, logger: logger),
                BackgroundWork(
                    store: runtime.store, audit: audit, ring: ring, keys: keys, retention: tokenSettings.keyRetention, keyRefresh: keyRefresh,
                    logger: logger
                ),
            ],
            logger: logger
        )
        logger.info("sesame stopped")
    }
}

/// Keeps the store tidy while the server runs and closes it after the server has drained, on
/// SIGTERM or SIGINT.
struct StoreService: Service {
    let store: SQLStore
    let sessions: SessionService
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sessions.purgeExpired()
                } catch {
                    logger.warning("could not purge expired sessions", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(600))
            }
        }
        try await store.close()
        logger.info("store closed")
    }
}

/// Flushes the audit trail every few milliseconds (and once more at shutdown, before the store
/// closes), reloads signing keys every `keyRefresh` so a rotation by `sesame keys rotate` or by
/// another instance is picked up, and purges expired codes and tokens every minute.
struct BackgroundWork: Service {
    let store: SQLStore
    let audit: AuditTrail
    let ring: SigningKeyRing
    let keys: KeySetHolder
    let retention: TimeInterval
    let keyRefresh: TimeInterval
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastKeyLoad = ContinuousClock.now
            var lastPurge = ContinuousClock.now
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(5))
                do {
                    try await audit.flush()
                    if ContinuousClock.now - lastKeyLoad >= .seconds(keyRefresh) {
                        lastKeyLoad = ContinuousClock.now
                        keys.replace(with: try await ring.load(publishFor: retention))
                    }
                    if ContinuousClock.now - lastPurge >= .seconds(60) {
                        lastPurge = ContinuousClock.now
                        try await store.purgeExpiredGrants(before: Date().addingTimeInterval(-60))
                        // Counts are forgotten after a day at most (LockoutPolicy.forgetAfter).
                        try await store.purgeFailures(before: Date().addingTimeInterval(-LockoutPolicy.account.forgetAfter))
                    }
                } catch is CancellationError {
                    break  // shutting down; the final flush below writes what is queued
                } catch {
                    logger.warning("background work failed", metadata: ["error": "\(error)"])
                }
            }
        }
        // The server has drained by now (services stop in reverse order): write what is queued.
        do {
            let written = try await audit.flush()
            if written > 0 { logger.info("audit events written at shutdown", metadata: ["count": "\(written)"]) }
        } catch {
            logger.error("audit events could not be written at shutdown", metadata: ["error": "\(error)"])
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the database schema (serve also does this on start)."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingErrors {
            let versions = try await Runtime.with(try common.resolved()) { try await $0.store.appliedMigrations() }
            print("schema at version \(versions.last ?? 0)")
        }
    }
}
