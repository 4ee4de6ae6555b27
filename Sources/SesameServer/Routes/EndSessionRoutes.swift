import SesameJOSE
import Hummingbird
import SesameCore
import SesameModels

/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). With a valid `id_token_hint`
/// issued to this very session (its `sub`, and its `sid` when it has one) the session ends at once;
/// otherwise the person confirms, so a stray link, or anyone's ID token, cannot sign them out.
struct EndSessionRoutes {
    let oauth: OAuthDependencies
    let signedIn: SignedInUser
    let termination: SessionTermination
    let csrf: CSRFTokens
    let cookies: BrowserCookies
    let pages: PageRenderer
    let clock: any WallClock

    func register(on router: Router<SesameRequestContext>) {
        router.get("/end-session/done") { _, _ in pages.render("signedOut", ["title": "Signed out"]) }
        router.get("/end-session") { request, _ in
            try await endSession(try AuthorizeRoutes.queryParameters(request), request: request, confirmed: false)
        }
        router.post("/end-session") { request, context in
            var form = try await FormBody.read(request, context: context).all
            let confirmed = form["decision"] == "logout"
            if confirmed {
                try csrf.requireValidToken(in: form["csrf_token"], from: request, cookies: cookies)
            }
            form["csrf_token"] = nil
            form["decision"] = nil
            return try await endSession(form, request: request, confirmed: confirmed)
        }
    }

    private func endSession(_ parameters: [String: String], request: Request, confirmed: Bool) async throws -> Response {
        func value(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        // Which client is asking: from the hint (even an expired one) or from client_id.
        var clientID = value("client_id")
        var hint: VerifiedJWT?
        if let hintText = value("id_token_hint") {
            guard let token = VerifiedJWT.verify(hintText, keys: oauth.keys.current.verificationKeys), token.string("iss") == oauth.discovery.issuer,
                let audience = token.audiences.first, clientID == nil || clientID == audience
            else { throw HTTPError(.badRequest, message: "The sign-out request carries an ID token that Sesame did not issue.") }
            clientID = audience
            hint = token
        }
        var destination: String?
        if let target = value("post_logout_redirect_uri") {
            guard let clientID, let client = try await oauth.clients.client(id: clientID), client.postLogoutRedirectURIs.contains(target) else {
                throw HTTPError(.badRequest, message: "The application asked to send you to an address it has not registered for after sign-out.")
            }
            destination = target
        }
        let signed = try await signedIn.resolveSession(request)
        let hintNamesThisSession = signed.map { signed in
            hint.map { $0.string("sub") == signed.user.id && ($0.string("sid") ?? signed.session.sid) == signed.session.sid } ?? false
        } ?? false
        if let signed, !hintNamesThisSession, !confirmed {
            let secret = cookies.csrfSecret(of: request)
            var response = pages.render("endSession", [
                "title": "Sign out", "username": signed.user.username, "csrfToken": csrf.token(for: secret.value),
                "parameters": parameters.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            ])
            pages.restrictForms(of: &response, goingOnTo: destination.map { [$0] } ?? [])
            if let cookie = secret.newCookie { response.setCookie(cookie) }
            return response
        }
        var frames: [String] = []
        if let signed {
            frames = try await termination.end(
                cookieValue: signed.cookieValue, session: signed.session, reason: .rpInitiatedLogout, actor: signed.user.id, clientID: clientID,
                at: clock.now()
            ).frontChannelFrames
        }
        var response: Response
        var next = "/end-session/done"
        if let destination {
            let query = value("state").map { "state=" + AuthorizeRoutes.encode($0) }
            next = destination + (query.map { (destination.contains("?") ? "&" : "?") + $0 } ?? "")
        }
        if let page = FrontChannelLogout.page(frames: frames, next: next, pages: pages) {
            response = page
        } else if destination != nil {
            response = .redirect(to: next, type: .normal)
        } else {
            response = pages.render("signedOut", ["title": "Signed out"])
        }
        response.setCookie(cookies.expiredSessionCookie())
        return response
    }
}
