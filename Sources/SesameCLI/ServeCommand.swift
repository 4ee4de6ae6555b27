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
        let configuration = SesameConfiguration(
            issuer: issuerURL, host: host, port: port, sessions: sessionSettings,
            accessTokenLifetime: try Settings.parseDuration(settings.accessTokenLifetime, name: "access token lifetime"),
            refreshGracePeriod: settings.refreshGracePeriod == "0" ? 0 : try Settings.parseDuration(settings.refreshGracePeriod, name: "refresh grace period"),
            trustedProxies: trusted, keyRefreshInterval: keyRefresh, tls: tls, auditLines: try AuditLogSink.make(settings.auditLog),
            authenticators: Settings.parseAuthenticators(settings.authenticators), secondFactors: Settings.parseAuthenticators(settings.secondFactors),
            environment: ProcessInfo.processInfo.environment, insecureProxyCallbackForTests: insecureProxyCallbackForTests, logLevel: level
        )
        if let tls { _ = try SesameServer.tlsConfiguration(certificateChain: tls.certificateChain, privateKey: tls.privateKey) }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sesame")
        let runtime = try await Runtime.open(settings, logger: logger)
        let sesame = try await SesameServer.make(store: runtime.store, dataKey: runtime.dataKey, configuration: configuration, logger: logger)
        logger.info("sesame listening", metadata: [
            "listen": "\(settings.listen)", "issuer": "\(issuerURL.absoluteString)",
            "store": "\(runtime.store.database.dialect.name)", "trusted-proxies": "\(trusted.map(\.description).joined(separator: ","))",
        ])
        try await sesame.run()
        logger.info("sesame stopped")
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
