import Foundation
import Hummingbird
import SesameCore

/// `GET/POST /userinfo` with a bearer access token (RFC 6750 §2.1 header or §2.2 form body).
struct UserInfoRoutes {
    let oauth: OAuthDependencies
    let users: any UserStore

    func register(on router: Router<SesameRequestContext>) {
        router.get("/userinfo") { request, context in try await answer(request, context: context) }
        router.post("/userinfo") { request, context in try await answer(request, context: context) }
    }

    private func answer(_ request: Request, context: SesameRequestContext) async throws -> Response {
        var token: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if request.method == .post {
            token = (try? await FormBody.read(request, context: context))?["access_token"]
        }
        guard let token, !token.isEmpty else {
            var response = JSONResponse.make(ErrorBody(error: "invalid_request", error_description: "a bearer access token is required"), status: .unauthorized)
            response.headers[.wwwAuthenticate] = #"Bearer realm="sesame""#
            return response
        }
        guard let access = try await oauth.validator.validate(token), access.scope.contains("openid"),
            let user = try await users.user(id: access.subject), !user.disabled
        else { throw OAuthError.invalidToken("the access token is invalid, expired, revoked or lacks the openid scope") }
        let client = try await oauth.clients.client(id: access.clientID)
        return JSONResponse.make(UserInfoResponse(user: user, scope: access.scope, client: client))
    }
}
