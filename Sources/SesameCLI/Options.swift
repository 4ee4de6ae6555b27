import ArgumentParser
import Foundation
import SesameServer

/// Options every command takes (`Setting.Scope.everyCommand`); names and help come from the
/// settings table, and a test checks that the two agree.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong(Setting.dataDir.flag!), help: ArgumentHelp(Setting.dataDir.help))
    var dataDir: String?

    @Option(name: .customLong(Setting.config.flag!), help: ArgumentHelp(Setting.config.help + " Keys: \(Setting.configKeys.sorted().joined(separator: ", "))."))
    var config: String?

    @Option(name: .customLong(Setting.database.flag!), help: ArgumentHelp(Setting.database.help))
    var database: String?

    @Option(name: .customLong(Setting.databasePasswordFile.flag!), help: ArgumentHelp(Setting.databasePasswordFile.help))
    var databasePasswordFile: String?

    @Option(name: .customLong(Setting.dataKeyFile.flag!), help: ArgumentHelp(Setting.dataKeyFile.help + " Or SESAME_DATA_KEY with the key in base64."))
    var dataKeyFile: String?

    /// The values given on the command line, by setting key.
    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags[Setting.dataDir.key] = dataDir
        flags[Setting.config.key] = config
        flags[Setting.database.key] = database
        flags[Setting.databasePasswordFile.key] = databasePasswordFile
        flags[Setting.dataKeyFile.key] = dataKeyFile
        return flags
    }

    func resolved(adding more: [String: String] = [:]) throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let path = config ?? Setting.config.environment.flatMap { environment[$0] }
        let file = try path.map(ConfigFile.load) ?? ConfigFile()
        return Settings(flags: flags.merging(more) { $1 }, file: file, environment: environment)
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
