import HTTPTypes
import Hummingbird
import SesameAdmin
import SesameCore

/// Who may use the admin API: a client's own (client_credentials) bearer access token with the
/// `sesame:admin` scope, or a signed-in person with the global `admin` role (whose changing
/// requests must also carry the CSRF token in `X-CSRF-Token`, so another site cannot make their
/// browser call it). A token that speaks for a person counts only if that person is an admin.
struct AdminAuthentication: Sendable {
    static let role = "admin"
    let validator: AccessTokenValidator
    let signedIn: SignedInUser
    let csrf: CSRFTokens

    func authenticate(_ request: Request) async throws -> AdminCaller {
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer "), let access = try await validator.validate(String(header.dropFirst(7))) else {
                throw Problem.unauthorized("the bearer token is invalid, expired or revoked")
            }
            guard access.scope.contains(ClientManagement.adminScope) else { throw Problem.forbidden("the token lacks the \(ClientManagement.adminScope) scope") }
            // client_credentials tokens name the client as their subject; any other names a person.
            guard access.subject != access.clientID else { return AdminCaller(.apiClient(clientID: access.clientID)) }
            guard let user = try await signedIn.users.user(id: access.subject), !user.disabled, user.effectiveRoles.contains(Self.role) else {
                throw Problem.forbidden("the token speaks for a person who does not have the \(Self.role) role")
            }
            return AdminCaller(.adminUser(userID: user.id))
        }
        guard let (user, _) = try await signedIn.resolve(request) else {
            throw Problem.unauthorized("send a bearer access token with the \(ClientManagement.adminScope) scope, or sign in as an administrator")
        }
        guard user.effectiveRoles.contains(Self.role) else { throw Problem.forbidden("you do not have the \(Self.role) role") }
        if ![.get, .head].contains(request.method) {
            guard csrf.verify(token: request.headers[.xCSRFToken], cookieValue: signedIn.cookies.csrfValue(in: request)) else {
                throw Problem.forbidden("a changing request from a browser needs the X-CSRF-Token header")
            }
        }
        return AdminCaller(.adminUser(userID: user.id))
    }
}

extension HTTPField.Name {
    static let xCSRFToken = Self("X-CSRF-Token")!
}
