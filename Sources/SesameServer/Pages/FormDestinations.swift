import Foundation
import SesameCore

/// Where the answer to the sign-in form may redirect the browser, for that page's `form-action`:
/// Chromium checks the directive against every redirect that follows a form submission, and a
/// sign-in for an app ends in a redirect to it. Only a place Sesame itself would send the person
/// counts (the checked redirect URI of an authorization request, a registered CAS service), so a
/// link cannot widen the policy by naming another site.
struct FormDestinations: Sendable {
    var authorizeChecks: AuthorizeChecks?
    var casTickets: CASTickets?

    /// Where the page at `returnTo` may redirect the browser, besides Sesame itself; nil when that
    /// is not known here (then the sign-in page goes without `form-action` rather than break).
    func uris(after returnTo: String) async -> [String]? {
        let parts = returnTo.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let parameters = parts.count > 1 ? (try? FormBody(parsing: String(parts[1])))?.all ?? [:] : [:]
        switch parts[0] {
        case "/authorize":
            guard let authorizeChecks else { return [] }
            do {
                return [try await authorizeChecks.validate(parameters).redirectURI]
            } catch AuthorizeFailure.redirect(_, let redirectURI, _, _) {
                return [redirectURI]
            } catch {
                return []  // an error page on Sesame
            }
        case "/cas/login", "/cas/logout":
            guard let casTickets, let service = parameters["service"], !service.isEmpty,
                (try? await casTickets.registeredService(for: service)) != nil
            else { return [] }
            return [service]
        case "/end-session":
            return nil  // a registered post_logout_redirect_uri, which the client or ID token decides
        default:
            return []
        }
    }

    /// A CSP source for where `uri` points: the origin for http(s), the scheme alone for an app's
    /// own scheme (`com.example.app:`); nil for anything that would not be one clean source.
    static func source(of uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
            scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return nil }
        guard scheme == "http" || scheme == "https" else { return scheme + ":" }
        guard var host = components.host?.lowercased(), !host.isEmpty else { return nil }
        if host.contains(":") && !host.hasPrefix("[") { host = "[" + host + "]" }
        guard host.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)) })
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
