import Hummingbird
import SesameCore

/// The cookies Sesame sets in a browser: the session, the CSRF secret and the half-finished sign-in.
/// All are HttpOnly and SameSite=Lax. On an https issuer they are Secure and named `__Host-…`:
/// the browser then keeps them only if set by this host over https with `Path=/` and no `Domain`,
/// so a sibling subdomain cannot plant or overwrite one (the CSRF secret, say). Every read and
/// write goes through the names here.
struct BrowserCookies: Sendable {
    /// Half signed in: the sign-in transaction's cookie, while a second factor is still to come.
    static let pendingLifetime = Int(SignInTransactions.lifetime)

    let secure: Bool
    let random: any RandomSource

    init(secure: Bool, random: any RandomSource) {
        self.secure = secure
        self.random = random
    }

    var session: String { name("sesame_session") }
    var csrf: String { name("sesame_csrf") }
    var pending: String { name("sesame_pending") }

    private func name(_ plain: String) -> String { secure ? "__Host-" + plain : plain }

    /// `__Host-` demands `Path=/`; on plain http the pending cookie keeps to the sign-in pages.
    private var pendingPath: String { secure ? "/" : "/login" }

    /// Each cookie's non-empty value in `request`, under this server's name for it.
    func sessionValue(in request: Request) -> String? { value(of: session, in: request) }
    func csrfValue(in request: Request) -> String? { value(of: csrf, in: request) }
    func pendingValue(in request: Request) -> String? { value(of: pending, in: request) }

    private func value(of name: String, in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, !value.isEmpty else { return nil }
        return value
    }

    func sessionCookie(_ value: String) -> Cookie {
        Cookie(name: session, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func pendingCookie(_ value: String) -> Cookie {
        Cookie(name: pending, value: value, maxAge: Self.pendingLifetime, path: pendingPath, secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expiredPendingCookie() -> Cookie {
        Cookie(name: pending, value: "", maxAge: 0, path: pendingPath, secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expiredSessionCookie() -> Cookie {
        Cookie(name: session, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The browser's CSRF secret, and the cookie to set when it does not have one yet.
    func csrfSecret(of request: Request) -> (value: String, newCookie: Cookie?) {
        if let existing = csrfValue(in: request), CSRFTokens.isWellFormedSecret(existing) {
            return (existing, nil)
        }
        let value = random.token(byteCount: 32)
        return (value, Cookie(name: csrf, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
    }
}
