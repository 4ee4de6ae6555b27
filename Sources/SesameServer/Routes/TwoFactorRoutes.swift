import Foundation
import Hummingbird
import SesameCore

/// The second sign-in step (`/login/two-factor`) and managing two-step verification from the
/// account page (`/account/two-factor`).
struct TwoFactorRoutes {
    let twoFactor: TwoFactorDependencies
    let users: any UserStore
    let login: LoginRoutes
    let signedIn: SignedInUser
    let csrf: CSRFTokens
    let cookies: BrowserCookies
    let pages: PageRenderer
    let clock: any WallClock

    static let invalidCode = "That code is not right, or was used already."
    static let tooManyCodes = "Too many wrong codes. Sign in again later."

    func register(on router: Router<SesameRequestContext>) {
        router.get("/login/two-factor") { request, _ -> Response in
            let returnTo = LocalRedirect.validated(request.uri.queryParameters["return_to"].map(String.init))
            guard let pending = try await liveTransaction(request) else { return .redirect(to: "/login", type: .normal) }
            return try await secondStepPage(pending.user, request: request, returnTo: returnTo, error: nil, status: .ok)
        }
        router.post("/login/two-factor") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            let returnTo = LocalRedirect.validated(form["return_to"])
            guard let pending = try await liveTransaction(request) else { return .redirect(to: "/login", type: .normal) }
            let user = pending.user
            let code = form["code"] ?? ""
            let factors = twoFactor.service.factors
            if try await factors.enrolled(for: user).isEmpty {
                // Required but not set up yet: enrolment right after the password.
                guard let codes = try await twoFactor.service.confirmEnrolment(for: user, code: code) else {
                    return try await secondStepPage(user, request: request, returnTo: returnTo, error: Self.invalidCode, status: .unauthorized)
                }
                await twoFactor.audit.record(.twoFactorEnrolled, actor: user.id, subject: user.id)
                guard var response = try await finish(pending, adding: TOTPFactor.amr, request: request, returnTo: returnTo) else {
                    return spentTransaction()
                }
                let page = pages.render("recoveryCodes", ["title": "Recovery codes", "codes": codes, "returnTo": returnTo])
                response.status = .ok
                response.headers[.location] = nil
                response.headers[.contentType] = page.headers[.contentType]
                response.body = page.body
                return response
            }
            do {
                let factor = try await factors.verify(code, for: user, clientAddress: context.clientAddress)
                if factor.name == RecoveryCodeFactor.factorName { await twoFactor.audit.record(.twoFactorRecoveryCodeUsed, actor: user.id, subject: user.id) }
                return try await finish(pending, adding: factor.methods, request: request, returnTo: returnTo) ?? spentTransaction()
            } catch let error as SignInError {
                // Too many wrong codes end this sign-in transaction: the password must be typed
                // again, after the delay, which the password step honours too.
                let until = error.code == .throttled ? error.retryAt : try await factors.lockedUntil(for: user)
                if let until { return try await endTransaction(pending, retryAt: until) }
                return try await secondStepPage(user, request: request, returnTo: returnTo, error: Self.invalidCode, status: .unauthorized)
            }
        }

        router.get("/account/two-factor") { request, _ -> Response in
            guard let (user, _) = try await signedIn.resolve(request) else {
                return .redirect(to: "/login?return_to=%2Faccount%2Ftwo-factor", type: .normal)
            }
            if try await twoFactor.service.isEnabled(for: user) {
                return page("twoFactorStatus", request, ["title": "Two-step verification", "recoveryLeft": try await twoFactor.service.recoveryCodesLeft(for: user)])
            }
            return try await enrolmentPage(user, request: request, action: "/account/two-factor", returnTo: "/account", error: nil, status: .ok)
        }
        router.post("/account/two-factor") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            guard let (user, _) = try await signedIn.resolve(request) else { return .redirect(to: "/login", type: .normal) }
            guard let codes = try await twoFactor.service.confirmEnrolment(for: user, code: form["code"] ?? "") else {
                return try await enrolmentPage(user, request: request, action: "/account/two-factor", returnTo: "/account", error: Self.invalidCode, status: .unauthorized)
            }
            await twoFactor.audit.record(.twoFactorEnrolled, actor: user.id, subject: user.id)
            return pages.render("recoveryCodes", ["title": "Recovery codes", "codes": codes, "returnTo": "/account"])
        }
        router.post("/account/two-factor/recovery-codes") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            guard let (user, _) = try await signedIn.resolve(request), try await twoFactor.service.isEnabled(for: user) else {
                return .redirect(to: "/account", type: .normal)
            }
            let codes = try await twoFactor.service.regenerateRecoveryCodes(for: user)
            await twoFactor.audit.record(.twoFactorRecoveryCodesRegenerated, actor: user.id, subject: user.id)
            return pages.render("recoveryCodes", ["title": "Recovery codes", "codes": codes, "returnTo": "/account/two-factor"])
        }
    }

    /// This browser's live sign-in transaction and its person: the cookie and the browser's CSRF
    /// secret must both match, within five minutes, and the person must still be enabled.
    private func liveTransaction(_ request: Request) async throws -> PendingSignIn? {
        guard let value = cookies.pendingValue(in: request),
            let transaction = try await twoFactor.transactions.resume(cookieValue: value, browser: cookies.csrfValue(in: request)),
            let user = try await users.user(id: transaction.userID), !user.disabled
        else { return nil }
        return PendingSignIn(cookieValue: value, transaction: transaction, user: user)
    }

    struct PendingSignIn {
        let cookieValue: String
        let transaction: SignInTransaction
        let user: User
    }

    private func endTransaction(_ pending: PendingSignIn, retryAt: Date) async throws -> Response {
        try await twoFactor.transactions.abandon(cookieValue: pending.cookieValue)
        var response = pages.render("error", ["title": "Too many attempts", "message": Self.tooManyCodes], status: .tooManyRequests)
        response.headers[.retryAfter] = String(max(1, Int(retryAt.timeIntervalSince(clock.now()).rounded(.up))))
        response.setCookie(cookies.expiredPendingCookie())
        return response
    }

    /// Spends the transaction and starts the session with the first step's `amr` plus the
    /// factor's and `mfa`; nil when it was spent already (a parallel answer finished it first).
    private func finish(_ pending: PendingSignIn, adding methods: [AMR], request: Request, returnTo: String) async throws -> Response? {
        guard let transaction = try await twoFactor.transactions.finish(cookieValue: pending.cookieValue, browser: cookies.csrfValue(in: request)) else {
            return nil
        }
        let user = pending.user
        var response = try await login.startSession(
            for: user, methods: SecondFactors.methods(after: transaction.methods, adding: methods), request: request, returnTo: returnTo
        )
        response.setCookie(cookies.expiredPendingCookie())
        return response
    }

    /// Back to the password: this sign-in transaction is over.
    private func spentTransaction() -> Response {
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(cookies.expiredPendingCookie())
        return response
    }

    private func secondStepPage(_ user: User, request: Request, returnTo: String, error: String?, status: HTTPResponse.Status) async throws -> Response {
        if try await twoFactor.service.factors.enrolled(for: user).isEmpty {
            return try await enrolmentPage(user, request: request, action: "/login/two-factor", returnTo: returnTo, error: error, status: status)
        }
        let challenges = try await twoFactor.service.factors.challenges(for: user)
        var values: [String: Any] = [
            "title": "Two-step verification", "returnTo": returnTo,
            "prompt": challenges.map(\.prompt).joined(separator: ", or "),
            "inputMode": (challenges.first?.inputMode ?? .text).rawValue,
        ]
        if challenges.first?.oneTimeCode == true { values["oneTimeCode"] = true }
        if let error { values["error"] = error }
        return await login.restrictForms(page("twoFactorCode", request, values, status: status), returningTo: returnTo)
    }

    /// A fresh secret each time the page is shown; only the one confirmed with a code counts.
    private func enrolmentPage(_ user: User, request: Request, action: String, returnTo: String, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let enrolment = try await twoFactor.service.beginEnrolment(for: user)
        var values: [String: Any] = [
            "title": "Set up two-step verification", "qrSVG": try QRCodeSVG.render(text: enrolment.uri), "secret": enrolment.secret, "uri": enrolment.uri,
            "action": action, "returnTo": returnTo,
        ]
        if try await twoFactor.service.isRequired(for: user) { values["required"] = true }
        if let error { values["error"] = error }
        return await login.restrictForms(page("twoFactorEnrol", request, values, status: status), returningTo: returnTo)
    }

    private func page(_ template: String, _ request: Request, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let secret = cookies.csrfSecret(of: request)
        var all = values
        all["csrfToken"] = csrf.token(for: secret.value)
        all["notice"] = SignInNoticeLink(csrf: csrf).message(in: request)
        var response = pages.render(template, all, status: status)
        if let cookie = secret.newCookie { response.setCookie(cookie) }
        return response
    }

}
