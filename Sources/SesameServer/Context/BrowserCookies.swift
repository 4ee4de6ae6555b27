import Hummingbird
import SesameCore

/// The two cookies Sesame sets in a browser: the session and the CSRF secret. Both are HttpOnly
/// and SameSite=Lax, and Secure whenever the issuer is https.
struct BrowserCookies: Sendable {
    static let session = "sesame_session"
    static let csrf = "sesame_csrf"
    /// Half signed in: the password was right, the second factor is still to come.
    static let pending = "sesame_pending"
    static let pendingLifetime = 5 * 60

    let secure: Bool
    let random: any RandomSource

    func sessionCookie(_ value: String) -> Cookie {
        Cookie(name: Self.session, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func pendingCookie(_ value: String) -> Cookie {
        Cookie(name: Self.pending, value: value, maxAge: Self.pendingLifetime, path: "/login", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expiredPendingCookie() -> Cookie {
        Cookie(name: Self.pending, value: "", maxAge: 0, path: "/login", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expiredSessionCookie() -> Cookie {
        Cookie(name: Self.session, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The browser's CSRF secret, and the cookie to set when it does not have one yet.
    func csrfSecret(of request: Request) -> (value: String, newCookie: Cookie?) {
        if let existing = request.cookies[Self.csrf]?.value, existing.count >= 32 {
            return (existing, nil)
        }
        let value = random.token(byteCount: 32)
        return (value, Cookie(name: Self.csrf, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
    }
}
