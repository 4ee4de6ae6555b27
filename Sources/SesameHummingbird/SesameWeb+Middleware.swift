import Foundation
import Hummingbird

/// Puts the signed-in person in the context: from the app's session cookie, or from a bearer
/// access token issued by Sesame for this app. A bad bearer token is a 401 at once.
public struct SesameAuthentication<Context: SesameIdentityContext>: RouterMiddleware {
    let web: SesameWeb

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer "), let token = try? await web.accessTokens.verify(String(header.dropFirst(7))) else {
                return SesameWeb.bearerChallenge(error: "invalid_token")
            }
            context.sesameUser = token.user
        } else if let session = web.session(from: request) {
            context.sesameUser = session.user
        }
        return try await next(request, context)
    }
}

/// Lets a request through only when `permission` allows it. Nobody signed in: a browser goes to
/// `/login` and comes back, an API caller gets 401 with `WWW-Authenticate: Bearer`. Signed in but
/// not allowed: 403.
public struct RequirePermission<Context: SesameIdentityContext>: RouterMiddleware {
    let web: SesameWeb
    let permission: Permission

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if web.allows(permission, request: request, context: context) { return try await next(request, context) }
        if context.sesameUser == nil && permission.needsUser {
            let wantsPage = request.headers[.accept]?.contains("text/html") ?? false
            guard wantsPage, request.method == .get else { return SesameWeb.bearerChallenge(error: nil) }
            return .redirect(to: "/login?return_to=" + FormEncoding.encode(request.uri.description), type: .normal)
        }
        throw HTTPError(.forbidden, message: "You are signed in, but this page is not open to you.")
    }
}

extension SesameWeb {
    public var authentication: SesameAuthentication<SesameAppContext> { SesameAuthentication(web: self) }

    public func authentication<Context: SesameIdentityContext>(for context: Context.Type) -> SesameAuthentication<Context> {
        SesameAuthentication(web: self)
    }

    public func require<Context: SesameIdentityContext>(_ permission: Permission, context: Context.Type = SesameAppContext.self) -> RequirePermission<Context> {
        RequirePermission(web: self, permission: permission)
    }

    /// The same check as a plain `Bool`, inside a handler.
    public func allows(_ permission: Permission, request: Request, context: some SesameIdentityContext, now: Date = Date()) -> Bool {
        permission.allows(PermissionInput(user: context.sesameUser, clientAddress: clientAddress(request, peer: context.peerAddress), now: now))
    }

    static func bearerChallenge(error: String?) -> Response {
        var value = #"Bearer realm="sesame""#
        if let error { value += #", error="\#(error)""# }
        return Response(status: .unauthorized, headers: [.wwwAuthenticate: value])
    }
}
