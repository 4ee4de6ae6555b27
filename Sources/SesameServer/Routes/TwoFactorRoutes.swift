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
            guard let user = try await pendingUser(request) else { return .redirect(to: "/login", type: .normal) }
            return try await secondStepPage(user, request: request, returnTo: returnTo, error: nil, status: .ok)
        }
        router.post("/login/two-factor") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            let returnTo = LocalRedirect.validated(form["return_to"])
            guard let user = try await pendingUser(request) else { return .redirect(to: "/login", type: .normal) }
            let code = form["code"] ?? ""
            if try await !twoFactor.service.isEnabled(for: user) {
                // Required but not set up yet: enrolment right after the password.
                guard let codes = try await twoFactor.service.confirmEnrolment(for: user, code: code) else {
                    return try await secondStepPage(user, request: request, returnTo: returnTo, error: Self.invalidCode, status: .unauthorized)
                }
                await twoFactor.audit.record(type: "two_factor.enrolled", actor: user.id, subject: user.id)
                var response = try await finish(user, methods: TwoFactorService.Outcome.totp.authMethods, request: request, returnTo: returnTo)
                let page = pages.render("recoveryCodes", ["title": "Recovery codes", "codes": codes, "returnTo": returnTo])
                response.status = .ok
                response.headers[.location] = nil
                response.headers[.contentType] = page.headers[.contentType]
                response.body = page.body
                return response
            }
            do {
                let outcome = try await twoFactor.service.verify(code, for: user, clientAddress: context.clientAddress)
                if outcome == .recoveryCode { await twoFactor.audit.record(type: "two_factor.recovery_code_used", actor: user.id, subject: user.id) }
                return try await finish(user, methods: outcome.authMethods, request: request, returnTo: returnTo)
            } catch let error as SignInError {
                // Too many wrong codes end this half sign-in: the password must be typed again,
                // after the delay, which the password step honours too.
                let until = error.code == .throttled ? error.retryAt : try await twoFactor.service.lockedUntil(for: user)
                if let until { return try await endPendingSignIn(request, retryAt: until) }
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
            await twoFactor.audit.record(type: "two_factor.enrolled", actor: user.id, subject: user.id)
            return pages.render("recoveryCodes", ["title": "Recovery codes", "codes": codes, "returnTo": "/account"])
        }
        router.post("/account/two-factor/recovery-codes") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            guard let (user, _) = try await signedIn.resolve(request), try await twoFactor.service.isEnabled(for: user) else {
                return .redirect(to: "/account", type: .normal)
            }
            let codes = try await twoFactor.service.regenerateRecoveryCodes(for: user)
            await twoFactor.audit.record(type: "two_factor.recovery_codes_regenerated", actor: user.id, subject: user.id)
            return pages.render("recoveryCodes", ["title": "Recovery codes", "codes": codes, "returnTo": "/account/two-factor"])
        }
    }

    /// The user of a live half-signed-in state in this browser, or nil (expired after 5 minutes).
    private func pendingUser(_ request: Request) async throws -> User? {
        guard let value = cookies.pendingValue(in: request),
            let pending = try await twoFactor.pending.pendingSignIn(idDigest: TokenDigest.of(value)),
            clock.now().timeIntervalSince(pending.createdAt) < Double(BrowserCookies.pendingLifetime),
            let user = try await users.user(id: pending.userID), !user.disabled
        else { return nil }
        return user
    }

    private func endPendingSignIn(_ request: Request, retryAt: Date) async throws -> Response {
        if let value = cookies.pendingValue(in: request) {
            try await twoFactor.pending.deletePendingSignIn(idDigest: TokenDigest.of(value))
        }
        var response = pages.render("error", ["title": "Too many attempts", "message": Self.tooManyCodes], status: .tooManyRequests)
        response.headers[.retryAfter] = String(max(1, Int(retryAt.timeIntervalSince(clock.now()).rounded(.up))))
        response.setCookie(cookies.expiredPendingCookie())
        return response
    }

    private func finish(_ user: User, methods: [String], request: Request, returnTo: String) async throws -> Response {
        if let value = cookies.pendingValue(in: request) {
            try await twoFactor.pending.deletePendingSignIn(idDigest: TokenDigest.of(value))
        }
        var response = try await login.startSession(for: user, methods: methods, request: request, returnTo: returnTo)
        response.setCookie(cookies.expiredPendingCookie())
        return response
    }

    private func secondStepPage(_ user: User, request: Request, returnTo: String, error: String?, status: HTTPResponse.Status) async throws -> Response {
        if try await !twoFactor.service.isEnabled(for: user) {
            return try await enrolmentPage(user, request: request, action: "/login/two-factor", returnTo: returnTo, error: error, status: status)
        }
        var values: [String: Any] = ["title": "Two-step verification", "returnTo": returnTo]
        if let error { values["error"] = error }
        return await login.restrictForms(page("twoFactorCode", request, values, status: status), returningTo: returnTo)
    }

    /// A fresh secret each time the page is shown; only the one confirmed with a code counts.
    private func enrolmentPage(_ user: User, request: Request, action: String, returnTo: String, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let enrolment = try await twoFactor.service.beginEnrolment(for: user)
        var values: [String: Any] = [
            "title": "Set up two-step verification", "qrSVG": enrolment.qrSVG, "secret": enrolment.secret, "uri": enrolment.uri,
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
        var response = pages.render(template, all, status: status)
        if let cookie = secret.newCookie { response.setCookie(cookie) }
        return response
    }

}
