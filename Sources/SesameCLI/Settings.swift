import Foundation
import SesameModels

/// The resolved configuration before command-line flags are applied on top.
struct Settings {
    var dataDir = "./sesame-data"
    var listen = "127.0.0.1:8080"
    /// nil until given: the issuer then follows the listen address (`defaultIssuer(listen:)`).
    var issuer: String?
    var sessionIdleTimeout = "8h"
    var sessionLifetime = "7d"
    var logLevel = "info"
    var accessTokenLifetime = "10m"
    var refreshGracePeriod = "0"
    /// A postgres:// URL; nil keeps the embedded SQLite database in the data directory.
    var database: String?
    var databasePasswordFile: String?
    /// Where the data key comes from when not the data directory (every instance of a cluster
    /// must be given the same one).
    var dataKeyFile: String?
    var trustedProxies = ""
    var keyRefreshInterval = "10s"
    var tlsCert: String?
    var auditLog: String?
    var tlsKey: String?
    /// The primary authenticators, asked in this order at sign-in; comma-separated.
    var authenticators = "local"
    /// Second factors asked after TOTP and recovery codes; comma-separated (none by default).
    var secondFactors = ""

    init(file: ConfigFile, environment: [String: String]) {
        func pick(_ key: String, _ env: String, _ current: String) -> String {
            environment[env] ?? file.values[key] ?? current
        }
        dataDir = pick("data-dir", "SESAME_DATA_DIR", dataDir)
        listen = pick("listen", "SESAME_LISTEN", listen)
        issuer = environment["SESAME_ISSUER"] ?? file.values["issuer"]
        sessionIdleTimeout = pick("session-idle-timeout", "SESAME_SESSION_IDLE_TIMEOUT", sessionIdleTimeout)
        sessionLifetime = pick("session-lifetime", "SESAME_SESSION_LIFETIME", sessionLifetime)
        logLevel = pick("log-level", "SESAME_LOG_LEVEL", logLevel)
        accessTokenLifetime = pick("access-token-lifetime", "SESAME_ACCESS_TOKEN_LIFETIME", accessTokenLifetime)
        refreshGracePeriod = pick("refresh-grace-period", "SESAME_REFRESH_GRACE_PERIOD", refreshGracePeriod)
        database = environment["SESAME_DATABASE"] ?? file.values["database"]
        databasePasswordFile = environment["SESAME_DATABASE_PASSWORD_FILE"] ?? file.values["database-password-file"]
        dataKeyFile = environment["SESAME_DATA_KEY_FILE"] ?? file.values["data-key-file"]
        trustedProxies = pick("trusted-proxies", "SESAME_TRUSTED_PROXIES", trustedProxies)
        keyRefreshInterval = pick("key-refresh-interval", "SESAME_KEY_REFRESH_INTERVAL", keyRefreshInterval)
        tlsCert = environment["SESAME_TLS_CERT"] ?? file.values["tls-cert"]
        auditLog = environment["SESAME_AUDIT_LOG"] ?? file.values["audit-log"]
        tlsKey = environment["SESAME_TLS_KEY"] ?? file.values["tls-key"]
        authenticators = pick("authenticators", "SESAME_AUTHENTICATORS", authenticators)
        secondFactors = pick("second-factors", "SESAME_SECOND_FACTORS", secondFactors)
    }

    /// `local,test` as names in order; spaces around a name are ignored.
    static func parseAuthenticators(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Comma-separated addresses or CIDR blocks.
    static func parseTrustedProxies(_ text: String) throws -> [IPRange] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { entry in
            guard let range = IPRange(entry) else {
                throw CLIError("trusted proxy '\(entry)' is not an IP address or CIDR block such as 10.0.0.0/8 or ::1")
            }
            return range
        }
    }

    /// `host:port`, with IPv6 hosts in brackets (`[::1]:8080`).
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw CLIError("listen address '\(text)' must be HOST:PORT, for example 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw CLIError("listen address '\(text)' has no host") }
        return (host, port)
    }

    /// `http://` and the listen address, so a server started on another port announces where it
    /// answers; a wildcard host is no address a browser can reach, so it becomes loopback.
    static func defaultIssuer(listen: String) throws -> String {
        let (host, port) = try parseListen(listen)
        switch host {
        case "0.0.0.0": return "http://127.0.0.1:\(port)"
        case "::": return "http://[::1]:\(port)"
        default: return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        }
    }

    static func parseIssuer(_ text: String) throws -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil, url.query == nil, url.fragment == nil
        else {
            throw CLIError("issuer '\(text)' must be an http(s) URL without query or fragment, for example https://login.example.com")
        }
        return url
    }

    /// Durations as seconds or with a unit: `90s`, `30m`, `8h`, `7d`.
    static func parseDuration(_ text: String, name: String) throws -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let (number, unit) = text.last.flatMap { units[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
        guard let value = Double(number), value > 0 else {
            throw CLIError("\(name) '\(text)' must be a positive duration such as 900s, 30m, 8h or 7d")
        }
        return value * unit
    }
}
