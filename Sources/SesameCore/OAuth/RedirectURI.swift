import Foundation
import SesameModels

/// Rules for redirect URIs (RFC 9700 §2.1, RFC 8252 §7): registered exactly, matched exactly,
/// except that a loopback IP redirect may use any port, since native apps pick one at run time.
public enum RedirectURI {
    /// Why `uri` cannot be registered, or nil when it can.
    public static func problem(with uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(), !scheme.isEmpty else {
            return "'\(uri)' is not an absolute URI"
        }
        if uri.contains("#") { return "'\(uri)' has a fragment, which redirect URIs may not have" }
        if ["javascript", "data", "file", "vbscript", "about", "blob"].contains(scheme) {
            return "'\(uri)' uses the scheme \(scheme), which is never a redirect target"
        }
        if scheme == "https" {
            return components.host?.isEmpty == false ? nil : "'\(uri)' has no host"
        }
        if scheme == "http" {
            return isLoopback(components.host) ? nil
                : "'\(uri)' is plain http on a non-loopback host; use https (http is allowed only for 127.0.0.1, [::1] and localhost)"
        }
        // A private-use scheme for a native app (RFC 8252 §7.1), such as com.example.app:/callback.
        return nil
    }

    /// Whether `requested` matches one of `registered`.
    public static func matches(_ requested: String, registered: [String]) -> Bool {
        if registered.contains(requested) { return true }
        guard let asked = URLComponents(string: requested), asked.scheme == "http", isLoopbackIP(asked.host) else { return false }
        return registered.contains { candidate in
            guard let known = URLComponents(string: candidate), known.scheme == "http", isLoopbackIP(known.host) else { return false }
            var a = asked, b = known
            a.port = nil
            b.port = nil
            return a.string == b.string
        }
    }

    static func isLoopback(_ host: String?) -> Bool {
        host?.lowercased() == "localhost" || isLoopbackIP(host)
    }

    /// The host parsed as an address: 127.0.0.0/8 or ::1. A string prefix would let
    /// `127.evil.test` through, which any DNS owner can point anywhere.
    static func isLoopbackIP(_ host: String?) -> Bool {
        guard var host, host.utf8.count <= 64 else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.contains("%"), let bytes = IPRange.parseAddress(host) else { return false }
        return bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }
}
