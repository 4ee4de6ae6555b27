import Foundation
import SesameServer

/// The resolved settings (`Setting.all`: command line, then environment, then config file, then
/// default) and what every command needs from them to open the store.
struct Settings {
    var values: SettingValues

    var dataDir: String { values[.dataDir] ?? "./sesame-data" }
    /// A postgres:// URL; nil keeps the embedded SQLite database in the data directory.
    var database: String? { values[.database] }
    var databasePasswordFile: String? { values[.databasePasswordFile] }
    /// Where the data key comes from when not the data directory (every instance of a cluster
    /// must be given the same one).
    var dataKeyFile: String? { values[.dataKeyFile] }
    /// The data key itself, in base64.
    var dataKey: String? { values[.dataKey] }

    init(flags: [String: String], file: ConfigFile, environment: [String: String]) {
        values = SettingValues(flags: flags, environment: environment, file: file.values)
    }
}
