import Foundation
import Yams

/// The optional YAML config file: flat keys named like the command-line options.
///
/// ```yaml
/// data-dir: /var/lib/sesame
/// listen: 127.0.0.1:8080
/// issuer: https://login.example.com
/// session-idle-timeout: 8h
/// session-lifetime: 7d
/// log-level: info
/// database: postgres://sesame@db.internal:5432/sesame
/// database-password-file: /run/secrets/sesame-db
/// data-key-file: /run/secrets/sesame-data-key
/// trusted-proxies: 10.0.0.5, 10.0.0.6
/// authenticators: [local]
/// ```
///
/// A list is kept as its items joined by commas, the form the environment variables take.
struct ConfigFile {
    static let keys: Set<String> = [
        "data-dir", "listen", "issuer", "session-idle-timeout", "session-lifetime", "log-level", "access-token-lifetime",
        "refresh-grace-period", "database", "database-password-file", "data-key-file", "trusted-proxies", "key-refresh-interval",
        "tls-cert", "tls-key", "audit-log", "authenticators", "second-factors",
    ]
    var values: [String: String] = [:]

    static func load(_ path: String) throws -> ConfigFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("cannot read config file '\(path)'")
        }
        let parsed: Any?
        do {
            parsed = try Yams.load(yaml: text)
        } catch {
            throw CLIError("config file '\(path)' is not valid YAML: \(error)")
        }
        guard let mapping = parsed as? [String: Any] else {
            if parsed == nil { return ConfigFile() }
            throw CLIError("config file '\(path)' must be a mapping of keys to values")
        }
        var file = ConfigFile()
        for (key, value) in mapping {
            guard keys.contains(key) else {
                throw CLIError("config file '\(path)': unknown key '\(key)' (known: \(keys.sorted().joined(separator: ", ")))")
            }
            file.values[key] = (value as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(value)"
        }
        return file
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
