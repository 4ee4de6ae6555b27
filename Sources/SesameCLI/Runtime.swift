import Foundation
import Logging
import SesameCore
import SesamePostgres
import SesameSQL
import SesameSQLite

/// What every command opens: the store (SQLite in the data directory, or PostgreSQL) and the
/// data key.
struct Runtime {
    let store: SQLStore
    let dataKey: DataKey
    let hasher = PasswordHasher()
    /// Changes made by CLI commands, written when the command ends.
    let audit: AuditTrail

    /// `serving`: the server keeps its PostgreSQL connections open; a one-shot command opens only
    /// those it uses.
    static func open(_ settings: Settings, logger: Logger, serving: Bool = true) async throws -> Runtime {
        let directory = DataDirectory(path: settings.dataDir)
        let key = try DataKeySource.load(settings, directory: directory)
        let store: SQLStore
        if let database = settings.database {
            store = try await openPostgres(database, passwordFile: settings.databasePasswordFile, logger: logger, serving: serving)
        } else {
            try directory.create()
            store = try await SQLiteStore.open(path: directory.databasePath, logger: logger)
        }
        return Runtime(store: store, dataKey: key, audit: AuditTrail(store: store))
    }

    static func openPostgres(_ text: String, passwordFile: String?, logger: Logger, serving: Bool = true) async throws -> SQLStore {
        guard PostgresURL.isPostgres(text) else {
            throw CLIError("database '\(text)' must be a postgres:// URL (leave it unset for the embedded SQLite database)")
        }
        var url: PostgresURL
        do {
            url = try PostgresURL(parsing: text)
        } catch let error as PostgresURLError {
            throw CLIError(error.description)
        }
        if let passwordFile {
            guard let password = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw CLIError("cannot read database password file '\(passwordFile)'")
            }
            url.password = password.trimmingCharacters(in: .newlines)
        }
        do {
            return try await PostgresStore.open(url, logger: logger, keepConnectionsOpen: serving)
        } catch let error as SQLError {
            throw CLIError("cannot open database \(url.redacted): \(error)")
        } catch {
            throw CLIError("cannot connect to database \(url.redacted): is PostgreSQL running and reachable at \(url.host):\(url.port)?")
        }
    }

    var accounts: AccountService {
        var service = AccountService(users: store, sessions: store, hasher: hasher)
        service.audit = audit
        service.twoFactor = store
        return service
    }

    var access: AccessService {
        let store = store
        var service = AccessService(store: store) { try await store.clients().map(\.name) + store.casServices().map(\.name) }
        service.audit = audit
        return service
    }

    /// Management commands print their own results; the store's informational lines stay out of them.
    static var quietLogger: Logger {
        var logger = Logger(label: "sesame")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with an open runtime and closes the store afterwards, whatever happens.
    static func with<T>(_ settings: Settings, logger: Logger = quietLogger, _ body: (Runtime) async throws -> T) async throws -> T {
        let runtime = try await open(settings, logger: logger, serving: false)
        do {
            let result = try await body(runtime)
            try await runtime.audit.flush()
            try await runtime.store.close()
            return result
        } catch {
            try? await runtime.store.close()
            throw error
        }
    }
}
