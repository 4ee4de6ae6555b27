import Foundation
import Hummingbird
import SesameCore
import SesameJOSE

/// How the change-password page changes a directory password: nil when done, else what the
/// person reads (the directory's refusal: too short, in history...). Throws `SignInError`
/// (`.directoryUnavailable`) when the directory cannot be reached.
public typealias DirectoryPasswordChangeHandler =
    @Sendable (_ directory: String, _ login: String, _ old: String, _ new: String, _ clientAddress: String?) async throws -> String?

/// A ticket the change-password form carries: proof that this browser just gave the right
/// password for `login` (the directory said "expired" or "must change", which it says only to
/// the right password). Without it the form would be a way round sign-in throttling.
struct PasswordChangeTicket {
    static let lifetime: TimeInterval = 600
    let signer: CSRFTokens

    init(csrf: CSRFTokens) {
        signer = csrf.derived(for: "directory-password-change")
    }

    func make(directory: String, login: String, browser: String, now: Date) -> String {
        let expires = Int(now.timeIntervalSince1970 + Self.lifetime)
        return "\(expires)." + signer.token(for: Self.message(directory, login, browser, expires))
    }

    func isValid(_ ticket: String?, directory: String, login: String, browser: String?, now: Date) -> Bool {
        guard let ticket, let browser, !browser.isEmpty, let dot = ticket.firstIndex(of: "."),
            let expires = Int(ticket[..<dot]), Double(expires) > now.timeIntervalSince1970
        else { return false }
        return signer.verify(token: String(ticket[ticket.index(after: dot)...]), cookieValue: Self.message(directory, login, browser, expires))
    }

    /// Fields joined with NUL, which none of them can hold (form values with NUL are refused below).
    private static func message(_ directory: String, _ login: String, _ browser: String, _ expires: Int) -> String {
        [directory, login, browser, String(expires)].joined(separator: "\u{0}")
    }
}

extension LoginRoutes {
    static let passwordsDiffer = "The new passwords do not match."
    static let passwordChangeExpired = "This page has expired. Sign in again."

    func registerPasswordChange(on router: Router<SesameRequestContext>) {
        router.post("/login/change-password") { request, context in try await changePassword(request, context: context) }
    }

    func changePasswordForm(
        _ request: Request, returnTo: String, username: String, directory: String, reason: String, error: String?, status: HTTPResponse.Status
    ) async -> Response {
        let secret = cookies.csrfSecret(of: request)
        var values: [String: Any] = [
            "title": "Change your password", "csrfToken": csrf.token(for: secret.value), "returnTo": returnTo, "username": username,
            "directory": directory, "reason": reason,
            "ticket": PasswordChangeTicket(csrf: csrf).make(directory: directory, login: username, browser: secret.value, now: clock.now()),
        ]
        if let error { values["error"] = error }
        var response = pages.render("changePassword", values, status: status)
        response = await restrictForms(response, returningTo: returnTo)
        if let cookie = secret.newCookie { response.setCookie(cookie) }
        return response
    }

    private func changePassword(_ request: Request, context: SesameRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
        let returnTo = LocalRedirect.validated(form["return_to"])
        let (login, directory) = (form["username"] ?? "", form["directory"] ?? "")
        let (old, new, again) = (form["current_password"] ?? "", form["new_password"] ?? "", form["new_password_again"] ?? "")
        let reason = Self.passwordChangeRequired
        guard let passwordChange, [login, directory].allSatisfy({ !$0.unicodeScalars.contains("\u{0}") }),
            PasswordChangeTicket(csrf: csrf).isValid(form["ticket"], directory: directory, login: login, browser: cookies.csrfValue(in: request), now: clock.now())
        else {
            return await self.form(request, returnTo: returnTo, username: login, error: Self.passwordChangeExpired, status: .forbidden)
        }
        guard new == again else {
            return await changePasswordForm(request, returnTo: returnTo, username: login, directory: directory, reason: reason, error: Self.passwordsDiffer, status: .unprocessableContent)
        }
        do {
            if let refusal = try await passwordChange(directory, login, old, new, context.clientAddress) {
                return await changePasswordForm(request, returnTo: returnTo, username: login, directory: directory, reason: reason, error: refusal, status: .unprocessableContent)
            }
        } catch let error as SignInError where error.code == .directoryUnavailable {
            return await changePasswordForm(
                request, returnTo: returnTo, username: login, directory: directory, reason: reason,
                error: error.message ?? Self.directoryUnavailable, status: .serviceUnavailable
            )
        }
        // Signed in with the new password, exactly as from the sign-in form (second step, return_to).
        return try await signInAndContinue(request, context: context, login: login, password: new, returnTo: returnTo, mfa: false)
    }
}
