import ArgumentParser
import Foundation

/// Options every command takes. Each is read, in order of precedence, from the command line,
/// the environment (`SESAME_DATA_DIR`), the config file, then the default.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Where Sesame keeps its database and key file (env SESAME_DATA_DIR; default ./sesame-data).")
    var dataDir: String?

    @Option(name: .long, help: "A YAML config file (env SESAME_CONFIG). Keys: data-dir, listen, issuer, session-idle-timeout, session-lifetime, log-level.")
    var config: String?

    @Option(name: .long, help: "Use PostgreSQL instead of the embedded SQLite: postgres://USER[:PASS]@HOST:PORT/DB[?sslmode=require&pool=10] (env SESAME_DATABASE).")
    var database: String?

    @Option(name: .long, help: "Read the database password from this file (env SESAME_DATABASE_PASSWORD_FILE).")
    var databasePasswordFile: String?

    @Option(name: .long, help: "Read the data key from this file instead of DATA-DIR/data.key; every instance sharing a database needs the same key (env SESAME_DATA_KEY_FILE, or SESAME_DATA_KEY with the key in base64).")
    var dataKeyFile: String?

    func resolved() throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let file = try (config ?? environment["SESAME_CONFIG"]).map(ConfigFile.load) ?? ConfigFile()
        var settings = Settings(file: file, environment: environment)
        if let dataDir { settings.dataDir = dataDir }
        if let database { settings.database = database }
        if let databasePasswordFile { settings.databasePasswordFile = databasePasswordFile }
        if let dataKeyFile { settings.dataKeyFile = dataKeyFile }
        return settings
    }
}

/// Turns a failure into one line on stderr and a non-zero exit, instead of a usage dump.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// A file's text, or standard input's for `-`.
func readInput(_ file: String) throws -> String {
    if file == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
    guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
        throw CLIError("cannot read '\(file)' as UTF-8 text")
    }
    return text
}
