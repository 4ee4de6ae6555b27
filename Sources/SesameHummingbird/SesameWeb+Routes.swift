import Foundation
import Hummingbird
import SesameModels

extension SesameWeb {
    /// `/login?return_to=/path`, `/callback`, `/logout`, and `/frontchannel-logout` (register it
    /// with Sesame: `sesame client update APP --frontchannel-logout-uri https://app/frontchannel-logout`).
    public func addRoutes<Context: SesameIdentityContext>(to router: Router<Context>) {
        router.get("/login") { request, _ in try self.login(request) }
        router.get("/callback") { request, _ in try await self.callback(request) }
        router.post("/logout") { request, _ in self.logout(request) }
        router.get("/logout") { request, _ in self.logout(request) }
        router.get("/frontchannel-logout") { request, _ in self.frontChannelLogout(request) }
    }

    func login(_ request: Request) throws -> Response {
        let (url, pending) = flow.start(returnTo: Self.localPath(request.uri.queryParameters["return_to"].map(String.init)))
        var response = Response.redirect(to: url, type: .normal)
        let value = try cookies.seal(pending, name: pendingCookie, expires: Date().addingTimeInterval(600))
        response.setCookie(Cookie(name: pendingCookie, value: value, maxAge: 600, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    func callback(_ request: Request) async throws -> Response {
        guard let pending = cookies.open(request.cookies[pendingCookie]?.value, as: CodeFlow.Pending.self, name: pendingCookie) else {
            throw HTTPError(.badRequest, message: "This sign-in has expired or did not start here. Go back and try again.")
        }
        let query = request.uri.queryParameters
        let tokens: CodeFlow.Tokens
        do {
            tokens = try await flow.finish(
                code: query["code"].map(String.init), state: query["state"].map(String.init), error: query["error"].map(String.init), pending: pending
            )
        } catch SesameClientError.tokenEndpoint(let error, _) where error == "access_denied" {
            throw HTTPError(.forbidden, message: "Sesame did not let you into this application.")
        } catch is SesameClientError {
            throw HTTPError(.badRequest, message: "The sign-in could not be completed. Go back and try again.")
        } catch is TokenError {
            throw HTTPError(.badRequest, message: "The sign-in could not be completed. Go back and try again.")
        }
        guard let idToken = tokens.idToken else { throw HTTPError(.badRequest, message: "Sesame sent no ID token.") }
        var user = idToken.user
        // Roles, groups and permissions come in the access token too; the ID token may omit them.
        if let access = try? await accessTokens.verify(tokens.accessToken) {
            user.roles.formUnion(access.user.roles)
            user.groups.formUnion(access.user.groups)
            user.permissions.formUnion(access.user.permissions)
        }
        let session = Session(user: user, idToken: tokens.rawIDToken, sid: idToken[.sessionID]?.string)
        var response = Response.redirect(to: pending.returnTo, type: .normal)
        let value = try cookies.seal(session, name: sessionCookie, expires: Date().addingTimeInterval(settings.sessionLifetime))
        response.setCookie(Cookie(name: sessionCookie, value: value, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: pendingCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// Sesame loads this in a hidden frame when a session ends: the app's session for that Sesame
    /// session (same issuer and `sid`) ends too.
    func frontChannelLogout(_ request: Request) -> Response {
        var response = Response(status: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"], body: .init(byteBuffer: .init(string: "signed out\n")))
        let query = request.uri.queryParameters
        guard query["iss"].map(String.init) == flow.metadata.issuer, let session = session(from: request) else { return response }
        if let sid = query["sid"].map(String.init), session.sid != nil, sid != session.sid { return response }
        response.setCookie(Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// Ends the app's session and sends the person to Sesame to sign out there too.
    func logout(_ request: Request) -> Response {
        var target = "/"
        if let endSession {
            var fields = [("client_id", settings.clientID), ("post_logout_redirect_uri", settings.appURL + "/")]
            if let hint = session(from: request)?.idToken { fields.append(("id_token_hint", hint)) }
            target = endSession + "?" + FormEncoding.encode(fields)
        }
        var response = Response.redirect(to: target, type: .normal)
        response.setCookie(Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }
}
