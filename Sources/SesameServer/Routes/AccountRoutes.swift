import Hummingbird
import SesameCore

/// `GET /account`: who you are signed in as.
struct AccountRoutes {
    let signedIn: SignedInUser
    let csrf: CSRFTokens
    let cookies: BrowserCookies
    let pages: PageRenderer
    let twoFactor: TwoFactorService?

    func register(on router: Router<SesameRequestContext>) {
        router.get("/account") { request, _ -> Response in
            guard let (user, _) = try await signedIn.resolve(request) else {
                return .redirect(to: "/login?return_to=%2Faccount", type: .normal)
            }
            let secret = cookies.csrfSecret(of: request)
            var twoFactorState = "Off"
            if let twoFactor, try await twoFactor.isEnabled(for: user) {
                twoFactorState = "On, \(try await twoFactor.recoveryCodesLeft(for: user)) recovery codes left."
            }
            var response = pages.render("account", [
                "title": "Your account", "username": user.username, "name": user.name ?? "", "email": user.email ?? "",
                "groups": user.groups, "roles": user.roles, "csrfToken": csrf.token(for: secret.value), "twoFactor": twoFactorState,
            ])
            if let cookie = secret.newCookie { response.setCookie(cookie) }
            return response
        }
    }
}
