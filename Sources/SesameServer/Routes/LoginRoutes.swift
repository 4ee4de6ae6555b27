import Foundation
import Hummingbird
import SesameCore

/// The sign-in form, its submission, and sign-out.
struct LoginRoutes {
    let signIn: SignInService
    let sessions: SessionService
    let signedIn: SignedInUser
    let csrf: CSRFTokens
    let cookies: BrowserCookies
    let pages: PageRenderer
    let clock: any WallClock
    let twoFactor: TwoFactorDependencies?
    let random: any RandomSource
    let termination: SessionTermination
    /// Where a sign-in may go on to, for the page's `form-action`; without it the page has none.
    var formDestinations: FormDestinations? = nil
    /// Changes a directory password from the change-password page; nil: no directory is configured.
    var passwordChange: DirectoryPasswordChangeHandler? = nil

    static let invalidCredentials = "Incorrect username or password."
    static let throttled = "Too many failed sign-ins. Try again later."
    static let directoryUnavailable = "The directory cannot be reached right now. Try again in a few minutes."
    static let passwordChangeRequired = "Your password has expired. Choose a new one to sign in."

    func register(on router: Router<SesameRequestContext>) {
        router.get("/login") { request, _ in try await showForm(request) }
        router.post("/login") { request, context in try await submit(request, context: context) }
        router.post("/logout") { request, context in try await logout(request, context: context) }
        registerPasswordChange(on: router)
    }

    private func showForm(_ request: Request) async throws -> Response {
        let returnTo = LocalRedirect.validated(request.uri.queryParameters["return_to"].map(String.init))
        // `reauth=1`: an app asked for a fresh sign-in (prompt=login, max_age), so show the form.
        if request.uri.queryParameters["reauth"] != "1", try await signedIn.resolve(request) != nil {
            return .redirect(to: returnTo, type: .normal)
        }
        let username = Self.acceptableLoginHint(request.uri.queryParameters["login_hint"].map(String.init)) ?? ""
        return await form(request, returnTo: returnTo, username: username, error: nil, status: .ok, mfa: request.uri.queryParameters["mfa"] == "1")
    }

    private func submit(_ request: Request, context: SesameRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
        let returnTo = LocalRedirect.validated(form["return_to"])
        return try await signInAndContinue(
            request, context: context, login: form["username"] ?? "", password: form["password"] ?? "", returnTo: returnTo, mfa: form["mfa"] == "1"
        )
    }

    /// The first step with these credentials, then the second step or the session; a refusal
    /// shows the form again (or the change-password page when a directory asks for a new password).
    func signInAndContinue(
        _ request: Request, context: SesameRequestContext, login: String, password: String, returnTo: String, mfa: Bool
    ) async throws -> Response {
        do {
            let result = try await signIn.signInResult(login: login, password: password, clientAddress: context.clientAddress)
            let user = result.user
            if let twoFactor, try await needsSecondFactor(user, asked: mfa, twoFactor.service) {
                // A sign-in transaction that any second factor can finish, bound to this browser's
                // CSRF secret (the form's check just proved it has one), for five minutes.
                let started = try await twoFactor.transactions.begin(userID: user.id, methods: AMR.passwordOnly, browser: cookies.csrfValue(in: request) ?? "")
                // A directory's warning goes on to the second step's page, signed.
                let notice = result.notice.flatMap { SignInNoticeLink(csrf: csrf).value(for: $0.message) }
                    .map { "&\(SignInNoticeLink.parameter)=" + AuthorizeRoutes.encode($0) } ?? ""
                var response = Response.redirect(to: "/login/two-factor?return_to=" + AuthorizeRoutes.encode(returnTo) + notice, type: .normal)
                response.setCookie(cookies.pendingCookie(started.cookieValue))
                return response
            }
            return try await startSession(for: user, methods: AMR.passwordOnly, request: request, returnTo: returnTo, notice: result.notice?.message)
        } catch let error as SignInError {
            switch error.code {
            case .directoryUnavailable:
                return await self.form(request, returnTo: returnTo, username: login, error: error.message ?? Self.directoryUnavailable, status: .serviceUnavailable, mfa: mfa)
            case .accountRefused:
                return await self.form(request, returnTo: returnTo, username: login, error: error.message ?? Self.invalidCredentials, status: .forbidden, mfa: mfa)
            case .passwordChangeRequired:
                return await changePasswordForm(
                    request, returnTo: returnTo, username: login, directory: error.directory ?? "", reason: error.message ?? Self.passwordChangeRequired,
                    error: nil, status: .ok
                )
            case .invalidCredentials:
                return await self.form(request, returnTo: returnTo, username: login, error: Self.invalidCredentials, status: .unauthorized, mfa: mfa)
            case .throttled:
                var response = await self.form(request, returnTo: returnTo, username: login, error: Self.throttled, status: .tooManyRequests, mfa: mfa)
                let seconds = max(1, Int((error.retryAt ?? clock.now()).timeIntervalSince(clock.now()).rounded(.up)))
                response.headers[.retryAfter] = String(seconds)
                return response
            }
        }
    }

    /// Longer than any username or email address (RFC 5321 caps a path at 256 octets).
    static let loginHintLimit = 256

    /// A `login_hint` only prefills the form, and a link can carry anything: one that is too long or
    /// holds control or invisible format characters (bidi overrides, say) is dropped.
    static func acceptableLoginHint(_ hint: String?) -> String? {
        guard let hint, !hint.isEmpty, hint.utf8.count <= loginHintLimit else { return nil }
        let refused: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned]
        return hint.unicodeScalars.contains { refused.contains($0.properties.generalCategory) } ? nil : hint
    }

    private func needsSecondFactor(_ user: User, asked: Bool, _ service: TwoFactorService) async throws -> Bool {
        if asked { return true }
        if try await service.hasSecondFactor(for: user) { return true }
        return try await service.isRequired(for: user)
    }

    /// A fresh session id on every sign-in: a planted cookie never becomes a session.
    /// With a `notice` (a directory's warning: the password expires soon, grace logins left), a page
    /// shows it with a link on to `returnTo` instead of redirecting at once.
    func startSession(for user: User, methods: [String], request: Request, returnTo: String, notice: String? = nil) async throws -> Response {
        if let old = cookies.sessionValue(in: request) {
            try await sessions.discard(cookieValue: old)
        }
        let started = try await sessions.start(userID: user.id, authMethods: methods)
        var response = notice.map { pages.render("signInNotice", ["title": "Signed in", "notice": $0, "returnTo": returnTo]) }
            ?? Response.redirect(to: returnTo, type: .normal)
        response.setCookie(cookies.sessionCookie(started.cookieValue))
        return response
    }

    private func logout(_ request: Request, context: SesameRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
        var frames: [String] = []
        if let value = cookies.sessionValue(in: request) {
            let signed = try await signedIn.resolveSession(request)
            frames = try await termination.end(
                cookieValue: value, session: signed?.session, reason: .signOut, actor: signed?.user.id, clientAddress: context.clientAddress,
                at: clock.now()
            ).frontChannelFrames
        }
        // The apps this session signed in to end theirs too (the account page's "Sign out").
        var response = FrontChannelLogout.page(frames: frames, next: "/login", pages: pages) ?? Response.redirect(to: "/login", type: .normal)
        response.setCookie(cookies.expiredSessionCookie())
        return response
    }


    /// A sign-in step's page posts to Sesame only, whose answer may redirect on to the app this
    /// sign-in is for (the second step's pages too).
    func restrictForms(_ response: Response, returningTo returnTo: String) async -> Response {
        guard let formDestinations, let destinations = await formDestinations.uris(after: returnTo) else { return response }
        var response = response
        pages.restrictForms(of: &response, goingOnTo: destinations)
        return response
    }

    func form(_ request: Request, returnTo: String, username: String, error: String?, status: HTTPResponse.Status, mfa: Bool = false) async -> Response {
        let secret = cookies.csrfSecret(of: request)
        var values: [String: Any] = [
            "title": "Sign in", "csrfToken": csrf.token(for: secret.value), "returnTo": returnTo,
        ]
        // Only a non-empty name is set: it moves the focus to the password field.
        if !username.isEmpty { values["username"] = username }
        if let error { values["error"] = error }
        if mfa { values["mfa"] = "1" }
        var response = pages.render("login", values, status: status)
        response = await restrictForms(response, returningTo: returnTo)
        if let cookie = secret.newCookie { response.setCookie(cookie) }
        return response
    }
}
