import Foundation
import Hummingbird
import SesameCore

/// A signed time carried on the way back from the sign-in page (`sesame_auth_after`): a session
/// that signed in after it counts as a fresh sign-in, so a forced sign-in (prompt=login, max_age,
/// CAS renew) is satisfied by the one just done instead of asking again.
///
/// It is signed with a key of its own, for the browser that was sent to sign in (its CSRF
/// secret) and for the one client or CAS service that asked, and it counts only on the way
/// straight back: a marker seen in a log, a history or another browser satisfies nothing.
struct FreshSignInMarker {
    static let parameter = "sesame_auth_after"
    /// How long a person may take at the sign-in page once sent there.
    static let signInWindow: TimeInterval = 10 * 60
    /// How soon after that sign-in the marker must come back.
    static let returnWindow: TimeInterval = 60

    /// Who asked for the fresh sign-in.
    enum Audience {
        case client(String)
        case casService(String)

        var name: String {
            switch self {
            case .client(let id): "client:\(id)"
            case .casService(let url): "cas:\(url)"
            }
        }
    }

    /// HMACs under a key of its own, derived from the CSRF key.
    private let signer: CSRFTokens

    init(csrf: CSRFTokens) {
        signer = csrf.derived(for: "fresh-sign-in")
    }

    func make(at date: Date, browser: String, audience: Audience) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        return "\(seconds).\(signer.token(for: message(seconds, browser: browser, audience: audience)))"
    }

    /// The time in a marker made for this browser and audience; nil for anything else.
    func time(in marker: String, browser: String, audience: Audience) -> Date? {
        let parts = marker.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0].utf8.count <= 12, parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let seconds = Int(parts[0]), signer.verify(token: parts[1], cookieValue: message(seconds, browser: browser, audience: audience))
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The marker's time when it makes a session that signed in at `authenticatedAt` count as
    /// fresh now: made for this browser and audience, at most `signInWindow` ago, the sign-in
    /// after it and at most `returnWindow` ago. Nil otherwise.
    func freshAfter(_ marker: String?, browser: String?, audience: Audience, authenticatedAt: Date?, now: Date) -> Date? {
        guard let marker, let browser, let authenticatedAt, let made = time(in: marker, browser: browser, audience: audience),
            now.timeIntervalSince(made) <= Self.signInWindow,
            authenticatedAt >= made.addingTimeInterval(-1),
            now.timeIntervalSince(authenticatedAt) <= Self.returnWindow
        else { return nil }
        return made
    }

    /// `freshAfter` for a request: the marker from `parameters`, the browser from its CSRF cookie.
    func freshAfter(_ parameters: [String: String], request: Request, cookies: BrowserCookies, audience: Audience, authenticatedAt: Date?, now: Date) -> Date? {
        freshAfter(parameters[Self.parameter], browser: Self.browser(request, cookies), audience: audience, authenticatedAt: authenticatedAt, now: now)
    }

    /// The sign-in page, forced, returning to `path` with `parameters` and a fresh marker for this
    /// browser (given a CSRF secret now if it has none).
    func signInRedirect(
        back path: String, parameters: [String: String], audience: Audience, request: Request, cookies: BrowserCookies, at date: Date,
        secondFactor: Bool, loginHint: String? = nil
    ) -> Response {
        let secret = cookies.csrfSecret(of: request)
        var back = parameters
        back[Self.parameter] = make(at: date, browser: secret.value, audience: audience)
        let url = path + "?" + back.sorted { $0.key < $1.key }.map { "\($0.key)=\(AuthorizeRoutes.encode($0.value))" }.joined(separator: "&")
        var login = "/login?reauth=1&return_to=" + AuthorizeRoutes.encode(url)
        if secondFactor { login += "&mfa=1" }
        if let loginHint { login += "&login_hint=" + AuthorizeRoutes.encode(loginHint) }
        var response = Response.redirect(to: login, type: .normal)
        if let cookie = secret.newCookie { response.setCookie(cookie) }
        return response
    }

    /// This browser's CSRF secret, or nil when it has none (then no marker can be for it).
    static func browser(_ request: Request, _ cookies: BrowserCookies) -> String? {
        let secret = cookies.csrfSecret(of: request)
        return secret.newCookie == nil ? secret.value : nil
    }

    /// Length-prefixed parts, so that no two different inputs read as the same message.
    private func message(_ seconds: Int, browser: String, audience: Audience) -> String {
        [String(seconds), browser, audience.name].map { "\($0.utf8.count):\($0)" }.joined()
    }
}
