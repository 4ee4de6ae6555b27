import Foundation
import Hummingbird
import SesameCore
import SesameModels

/// The authorization endpoint (OIDC Core §3.1.2): checks, sign-in, consent, then a code.
struct AuthorizeRoutes {
    let oauth: OAuthDependencies
    let signedIn: SignedInUser
    let csrf: CSRFTokens
    let cookies: BrowserCookies
    let pages: PageRenderer
    let clock: any WallClock

    func register(on router: Router<SesameRequestContext>) {
        router.get("/authorize") { request, _ in
            let query = try FormBody(parsing: request.uri.query ?? "")
            return try await authorize(query.all, repeated: query.repeatedNames, request: request)
        }
        router.post("/authorize") { request, context in
            let form = try await FormBody.read(request, context: context)
            return try await authorize(form.all, repeated: form.repeatedNames, request: request)
        }
        router.post("/authorize/consent") { request, context in
            let body = try await FormBody.read(request, context: context)
            var form = body.all
            try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            let decision = form["decision"]
            form["csrf_token"] = nil
            form["decision"] = nil
            return try await handle(form, repeated: body.repeatedNames, request: request, answeringConsent: true) { authorization, signed in
                guard decision == "allow" else {
                    throw AuthorizeFailure.redirect(
                        .accessDenied("the user did not allow access"), redirectURI: authorization.redirectURI,
                        state: authorization.state, mode: authorization.responseMode
                    )
                }
                try await oauth.authorization.recordConsent(for: authorization, user: signed.user)
                await oauth.audit.record(.consentGranted, actor: signed.user.id, clientID: authorization.client.id, detail: authorization.scope.description)
                return try await issueCode(authorization, signed)
            }
        }
    }

    private func authorize(_ parameters: [String: String], repeated: [String], request: Request) async throws -> Response {
        try await handle(parameters, repeated: repeated, request: request) { authorization, signed in
            try await issueCode(authorization, signed)
        }
    }

    /// Validates, then signs in or asks consent as needed; `onReady` runs when neither is needed.
    private func handle(
        _ parameters: [String: String], repeated: [String] = [], request: Request, answeringConsent: Bool = false,
        onReady: (AuthorizationRequest, (user: User, session: SessionRecord, cookieValue: String)) async throws -> Response
    ) async throws -> Response {
        var authorization: AuthorizationRequest?
        do {
            var validated = try await oauth.authorizeChecks.validate(parameters, repeated: repeated)
            let signed = try await signedIn.resolveSession(request)
            validated.authenticatedAfter = FreshSignInMarker(csrf: csrf).freshAfter(
                parameters, request: request, cookies: cookies, audience: .client(validated.client.id),
                authenticatedAt: signed?.session.authenticatedAt, now: clock.now()
            )
            authorization = validated
            let step = try await oauth.authorization.nextStep(for: validated, session: signed.map { ($0.user, $0.session) })
            switch (step, signed) {
            case (.issueCode, let signed?):
                return try await onReady(validated, signed)
            case (.consent, let signed?) where answeringConsent:
                return try await onReady(validated, signed)
            case (.consent(let scopes), let signed?):
                return consentPage(validated, scopes: scopes, user: signed.user, request: request)
            case (.secondFactor, _):
                return signInRedirect(validated, request: request, secondFactor: true)
            default:
                return signInRedirect(validated, request: request)
            }
        } catch let failure as AuthorizeFailure {
            return respond(to: failure)
        } catch let error as OAuthError where authorization != nil {
            let a = authorization!
            return respond(to: .redirect(error, redirectURI: a.redirectURI, state: a.state, mode: a.responseMode))
        }
    }

    private func issueCode(_ authorization: AuthorizationRequest, _ signed: (user: User, session: SessionRecord, cookieValue: String)) async throws -> Response {
        let code = try await oauth.authorization.issueCode(for: authorization, user: signed.user, session: signed.session)
        try await signedIn.sessions.recordClient(authorization.client.id, in: signed.session)  // for front-channel logout
        var fields = [("code", code)]
        if let state = authorization.state { fields.append(("state", state)) }
        fields.append(("iss", oauth.discovery.issuer))
        return redirect(to: authorization.redirectURI, fields: fields, mode: authorization.responseMode)
    }

    private func respond(to failure: AuthorizeFailure) -> Response {
        switch failure {
        case .page(let message):
            return pages.render("error", ["title": "Cannot sign you in", "message": message], status: .badRequest)
        case .redirect(let error, let redirectURI, let state, let mode):
            var fields = [("error", error.code), ("error_description", error.errorDescription)]
            if let state { fields.append(("state", state)) }
            fields.append(("iss", oauth.discovery.issuer))
            return redirect(to: redirectURI, fields: fields, mode: mode)
        }
    }

    private func redirect(to uri: String, fields: [(String, String)], mode: ResponseMode) -> Response {
        switch mode {
        case .query:
            let query = fields.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
            return Response.redirect(to: uri + (uri.contains("?") ? "&" : "?") + query, type: .normal)
        case .formPost:
            return pages.formPost(to: uri, fields: fields)
        }
    }

    /// To /login and back here, with `prompt=login` spent and a fresh-sign-in marker.
    private func signInRedirect(_ authorization: AuthorizationRequest, request: Request, secondFactor: Bool = false) -> Response {
        var parameters = authorization.parameters
        let prompt = authorization.prompt.subtracting(["login"])
        parameters["prompt"] = prompt.isEmpty ? nil : prompt.sorted().joined(separator: " ")
        return FreshSignInMarker(csrf: csrf).signInRedirect(
            back: "/authorize", parameters: parameters, audience: .client(authorization.client.id), request: request, cookies: cookies,
            at: clock.now(), secondFactor: secondFactor, loginHint: authorization.loginHint
        )
    }

    private func consentPage(_ authorization: AuthorizationRequest, scopes: [String], user: User, request: Request) -> Response {
        let secret = cookies.csrfSecret(of: request)
        var response = pages.render("consent", [
            "title": "Allow access", "clientName": authorization.client.shownName, "username": user.username,
            "csrfToken": csrf.token(for: secret.value),
            "scopes": scopes.map { ["name": $0, "description": ScopeCatalogue.named($0)?.consentDescription ?? $0] },
            "parameters": authorization.parameters.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
        ])
        pages.restrictForms(of: &response, goingOnTo: [authorization.redirectURI])
        if let cookie = secret.newCookie { response.setCookie(cookie) }
        return response
    }

    /// The query string decoded as a form (`+` is a space, as clients encode it).
    static func queryParameters(_ request: Request) throws -> [String: String] {
        try FormBody(parsing: request.uri.query ?? "").all
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
