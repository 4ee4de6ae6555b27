import ArgumentParser
import Foundation
import Logging
import SesameSQL
import SesameServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Sesame server.")

    @OptionGroup var common: CommonOptions

    // Names and help come from the settings table (`Setting.all`). Tests/e2e/test_configuration.py
    // checks that `serve --help` offers exactly the README's flags, and SettingsTableTests that the
    // README's table is `Setting.all`.
    @Option(name: .customLong(Setting.listen.flag!), help: ArgumentHelp(Setting.listen.help))
    var listen: String?
    @Option(name: .customLong(Setting.issuer.flag!), help: ArgumentHelp(Setting.issuer.help))
    var issuer: String?
    @Option(name: .customLong(Setting.sessionIdleTimeout.flag!), help: ArgumentHelp(Setting.sessionIdleTimeout.help))
    var sessionIdleTimeout: String?
    @Option(name: .customLong(Setting.sessionLifetime.flag!), help: ArgumentHelp(Setting.sessionLifetime.help))
    var sessionLifetime: String?
    @Option(name: .customLong(Setting.logLevel.flag!), help: ArgumentHelp(Setting.logLevel.help))
    var logLevel: String?
    @Option(name: .customLong(Setting.accessTokenLifetime.flag!), help: ArgumentHelp(Setting.accessTokenLifetime.help))
    var accessTokenLifetime: String?
    @Option(name: .customLong(Setting.refreshGracePeriod.flag!), help: ArgumentHelp(Setting.refreshGracePeriod.help))
    var refreshGracePeriod: String?
    @Option(name: .customLong(Setting.trustedProxies.flag!), help: ArgumentHelp(Setting.trustedProxies.help))
    var trustedProxies: [String] = []
    @Option(name: .customLong(Setting.keyRefreshInterval.flag!), help: ArgumentHelp(Setting.keyRefreshInterval.help))
    var keyRefreshInterval: String?
    @Option(name: .customLong(Setting.auditLog.flag!), help: ArgumentHelp(Setting.auditLog.help))
    var auditLog: String?
    @Option(name: .customLong(Setting.tlsCert.flag!), help: ArgumentHelp(Setting.tlsCert.help))
    var tlsCert: String?
    @Option(name: .customLong(Setting.tlsKey.flag!), help: ArgumentHelp(Setting.tlsKey.help))
    var tlsKey: String?
    @Option(name: .customLong(Setting.authenticators.flag!), help: ArgumentHelp(Setting.authenticators.help))
    var authenticators: [String] = []
    @Option(name: .customLong(Setting.secondFactors.flag!), help: ArgumentHelp(Setting.secondFactors.help))
    var secondFactors: [String] = []
    @Option(name: .customLong(Setting.directoryRefreshInterval.flag!), help: ArgumentHelp(Setting.directoryRefreshInterval.help))
    var directoryRefreshInterval: String?
    @Option(name: .customLong(Setting.directoryCheckInterval.flag!), help: ArgumentHelp(Setting.directoryCheckInterval.help))
    var directoryCheckInterval: String?
    @Flag(name: .customLong(Setting.insecureProxyCallbackForTests.flag!), help: ArgumentHelp(Setting.insecureProxyCallbackForTests.help))
    var insecureProxyCallbackForTests = false

    /// The values given on the command line, by setting key; a repeated option's values joined by commas.
    var flags: [String: String] {
        var flags = common.flags
        flags[Setting.listen.key] = listen
        flags[Setting.issuer.key] = issuer
        flags[Setting.sessionIdleTimeout.key] = sessionIdleTimeout
        flags[Setting.sessionLifetime.key] = sessionLifetime
        flags[Setting.logLevel.key] = logLevel
        flags[Setting.accessTokenLifetime.key] = accessTokenLifetime
        flags[Setting.refreshGracePeriod.key] = refreshGracePeriod
        flags[Setting.trustedProxies.key] = trustedProxies.isEmpty ? nil : trustedProxies.joined(separator: ",")
        flags[Setting.keyRefreshInterval.key] = keyRefreshInterval
        flags[Setting.auditLog.key] = auditLog
        flags[Setting.tlsCert.key] = tlsCert
        flags[Setting.tlsKey.key] = tlsKey
        flags[Setting.authenticators.key] = authenticators.isEmpty ? nil : authenticators.joined(separator: ",")
        flags[Setting.secondFactors.key] = secondFactors.isEmpty ? nil : secondFactors.joined(separator: ",")
        flags[Setting.directoryRefreshInterval.key] = directoryRefreshInterval
        flags[Setting.directoryCheckInterval.key] = directoryCheckInterval
        flags[Setting.insecureProxyCallbackForTests.key] = insecureProxyCallbackForTests ? "true" : nil
        return flags
    }

    func run() async throws {
        let concurrency = ServerProcess.prepare()
        try await reportingErrors {
            let settings = try common.resolved(adding: flags)
            let environment = ProcessInfo.processInfo.environment
            var configuration = try SesameConfiguration(settings.values, environment: environment)
            if let tls = configuration.tls { _ = try SesameServer.tlsConfiguration(certificateChain: tls.certificateChain, privateKey: tls.privateKey) }
            configuration.auditLines = try AuditLogSink.make(settings.values[.auditLog])

            let level = configuration.logLevel
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "sesame")
            let runtime = try await Runtime.open(settings, logger: logger)
            let sesame = try await SesameServer.make(store: runtime.store, dataKey: runtime.dataKey, configuration: configuration, logger: logger)
            logger.info("sesame listening", metadata: [
                "listen": "\(settings.values[.listen] ?? "")", "issuer": "\(configuration.issuer.absoluteString)",
                "store": "\(runtime.store.database.dialect.name)", "concurrency": "\(concurrency.rawValue)",
                "trusted-proxies": "\(configuration.trustedProxies.map(\.description).joined(separator: ","))",
            ])
            if concurrency == .globalExecutor {
                logger.warning("Swift concurrency runs on its own threads: another global-executor hook was set first, so requests switch threads at each await")
            }
            try await sesame.run()
            logger.info("sesame stopped")
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
