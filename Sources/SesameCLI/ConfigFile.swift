import Foundation
import SesameServer
import Yams

/// The optional YAML config file: flat keys named like the command-line options (`Setting.all`
/// says which), for example
///
/// ```yaml
/// data-dir: /var/lib/sesame
/// listen: 127.0.0.1:8080
/// issuer: https://login.example.com
/// trusted-proxies: 10.0.0.5, 10.0.0.6
/// authenticators: [local]
/// ```
///
/// A list is kept as its items joined by commas, the form the environment variables take.
struct ConfigFile {
    static var keys: Set<String> { Setting.configKeys }
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
