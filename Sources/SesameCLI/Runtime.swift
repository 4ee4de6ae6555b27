import Foundation
import Logging
import SesameCore
import SesameSQL
import SesameSQLite

/// What every command opens: the data directory, the store and the data key.
struct Runtime {
    let store: SQLStore
    let dataKey: DataKey
    let hasher = PasswordHasher()

    static func open(_ settings: Settings, logger: Logger) async throws -> Runtime {
        let directory = DataDirectory(path: settings.dataDir)
        let key = try directory.prepare()
        let store = try await SQLiteStore.open(path: directory.databasePath, logger: logger)
        return Runtime(store: store, dataKey: key)
    }

    var accounts: AccountService {
        AccountService(users: store, sessions: store, hasher: hasher)
    }

    /// Management commands print their own results; the store's informational lines stay out of them.
    static var quietLogger: Logger {
        var logger = Logger(label: "sesame")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with an open runtime and closes the store afterwards, whatever happens.
    static func with<T>(_ settings: Settings, logger: Logger = quietLogger, _ body: (Runtime) async throws -> T) async throws -> T {
        let runtime = try await open(settings, logger: logger)
        do {
            let result = try await body(runtime)
            try await runtime.store.close()
            return result
        } catch {
            try? await runtime.store.close()
            throw error
        }
    }
}
