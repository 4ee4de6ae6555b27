import Foundation
import Logging
import SesameCore
import SesameModels

/// A setting's value that does not parse; the message names the setting and shows a good value.
public struct SettingError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension SesameConfiguration {
    /// The typed configuration from the resolved settings. `environment` is where test-only
    /// authenticators and factors find theirs; the audit log sink is the caller's (it opens files).
    public init(_ values: SettingValues, environment: [String: String] = [:], auditLines: (@Sendable (String) -> Void)? = nil) throws {
        let listen = values[.listen] ?? ""
        let (host, port) = try Self.parseListen(listen)
        guard let level = Logger.Level(rawValue: values[.logLevel] ?? "") else {
            throw SettingError("log level '\(values[.logLevel] ?? "")' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let tls: (certificateChain: String, privateKey: String)?
        switch (values[.tlsCert], values[.tlsKey]) {
        case (let cert?, let key?): tls = (cert, key)
        case (nil, nil): tls = nil
        default: throw SettingError("--tls-cert and --tls-key go together")
        }
        self.init(
            issuer: try Self.parseIssuer(values[.issuer] ?? Self.defaultIssuer(listen: listen)), host: host, port: port,
            sessions: SessionSettings(
                idleTimeout: try Self.parseDuration(values[.sessionIdleTimeout], name: "session idle timeout"),
                absoluteLifetime: try Self.parseDuration(values[.sessionLifetime], name: "session lifetime")
            ),
            accessTokenLifetime: try Self.parseDuration(values[.accessTokenLifetime], name: "access token lifetime"),
            refreshGracePeriod: values[.refreshGracePeriod] == "0" ? 0 : try Self.parseDuration(values[.refreshGracePeriod], name: "refresh grace period"),
            trustedProxies: try Self.parseTrustedProxies(values.list(.trustedProxies)),
            keyRefreshInterval: try Self.parseDuration(values[.keyRefreshInterval], name: "key refresh interval"),
            tls: tls, auditLines: auditLines, authenticators: values.list(.authenticators), secondFactors: values.list(.secondFactors),
            environment: environment, insecureProxyCallbackForTests: values[.insecureProxyCallbackForTests] == "true", logLevel: level
        )
        directoryRefreshInterval = try Self.parseDuration(values[.directoryRefreshInterval], name: "directory refresh interval")
        directoryCheckInterval = values[.directoryCheckInterval] == "0" ? 0 : try Self.parseDuration(values[.directoryCheckInterval], name: "directory check interval")
    }

    /// Addresses or CIDR blocks.
    static func parseTrustedProxies(_ entries: [String]) throws -> [IPRange] {
        try entries.map { entry in
            guard let range = IPRange(entry) else {
                throw SettingError("trusted proxy '\(entry)' is not an IP address or CIDR block such as 10.0.0.0/8 or ::1")
            }
            return range
        }
    }

    /// `host:port`, with IPv6 hosts in brackets (`[::1]:8080`).
    public static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw SettingError("listen address '\(text)' must be HOST:PORT, for example 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw SettingError("listen address '\(text)' has no host") }
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
            throw SettingError("issuer '\(text)' must be an http(s) URL without query or fragment, for example https://login.example.com")
        }
        return url
    }

    /// Durations as seconds or with a unit: `90s`, `30m`, `8h`, `7d`.
    static func parseDuration(_ text: String?, name: String) throws -> TimeInterval {
        let text = text ?? ""
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let (number, unit) = text.last.flatMap { units[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
        guard let value = Double(number), value > 0 else {
            throw SettingError("\(name) '\(text)' must be a positive duration such as 900s, 30m, 8h or 7d")
        }
        return value * unit
    }
}
