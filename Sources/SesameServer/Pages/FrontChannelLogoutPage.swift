import Foundation
import Hummingbird
import SesameCore

/// OpenID Connect Front-Channel Logout 1.0, a listener of `SessionTermination`: when a session
/// ends in a browser, a page loads the logout URL (with `iss` and `sid`) of each app that session
/// signed in to, in hidden frames, so each app ends its own session, then moves on. Other apps are
/// not told, nor shown the session id. The frames are allowed by this page's CSP for those origins only.
struct FrontChannelLogout: SessionTerminationListener {
    let clients: any ClientStore
    let issuer: String

    func frontChannelFrames(for session: EndedSession) async -> [String] {
        guard !session.clientIDs.isEmpty else { return [] }
        var uris: [String] = []
        for id in session.clientIDs.sorted() {
            if let uri = ((try? await clients.client(id: id)) ?? nil)?.frontchannelLogoutURI { uris.append(uri) }
        }
        return uris.map { uri in
            let fields = [("iss", issuer), ("sid", session.sid)]
            return uri + (uri.contains("?") ? "&" : "?") + fields.map { $0.0 + "=" + AuthorizeRoutes.encode($0.1) }.joined(separator: "&")
        }
    }

    /// The page that loads `frames` and then goes to `next`; nil when there are none.
    static func page(frames: [String], next: String, pages: PageRenderer) -> Response? {
        guard !frames.isEmpty else { return nil }
        var response = pages.render("frontChannelLogout", ["title": "Signing you out", "frames": frames, "next": next])
        let origins = Set(frames.compactMap { uri in
            URLComponents(string: uri).map { "\($0.scheme ?? "https")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")" }
        }).sorted().joined(separator: " ")
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; frame-src \(origins); frame-ancestors 'none'; base-uri 'none'"
        return response
    }
}
