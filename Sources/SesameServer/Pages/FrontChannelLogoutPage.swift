import Foundation
import Hummingbird
import SesameCore

/// OpenID Connect Front-Channel Logout 1.0: when a session ends, a page loads the logout URL
/// (with `iss` and `sid`) of each app that session signed in to, in hidden frames, so each app
/// ends its own session, then moves on. Other apps are not told, nor shown the session id. The
/// frames are allowed by this page's CSP for those origins only.
struct FrontChannelLogout: Sendable {
    let clients: any ClientStore
    let issuer: String

    /// The page to show instead of going straight to `next`; nil when no app asked to be told.
    func page(sessionID: String?, clientIDs: Set<String>, next: String, pages: PageRenderer) async throws -> Response? {
        guard !clientIDs.isEmpty else { return nil }
        let uris = try await clients.clients().filter { clientIDs.contains($0.id) }.compactMap(\.frontchannelLogoutURI)
        guard !uris.isEmpty else { return nil }
        let frames = uris.map { uri -> String in
            var fields = [("iss", issuer)]
            if let sessionID { fields.append(("sid", sessionID)) }
            return uri + (uri.contains("?") ? "&" : "?") + fields.map { $0.0 + "=" + AuthorizeRoutes.encode($0.1) }.joined(separator: "&")
        }
        var response = pages.render("frontChannelLogout", ["title": "Signing you out", "frames": frames, "next": next])
        let origins = Set(uris.compactMap { uri in
            URLComponents(string: uri).map { "\($0.scheme ?? "https")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")" }
        }).sorted().joined(separator: " ")
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; frame-src \(origins); frame-ancestors 'none'; base-uri 'none'"
        return response
    }
}
