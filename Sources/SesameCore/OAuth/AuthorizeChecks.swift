import SesameJOSE
import Foundation

/// The authorization endpoint's checks, in order, as one table: each a small function that
/// passes or fails the request. The first two decide whether the client can be told at all.
public struct AuthorizeChecks: Sendable {
    private let clients: any ClientStore
    private let idTokenHintKeys: @Sendable () -> [String: JWTVerificationKey]
    private let issuer: String

    public init(clients: any ClientStore, issuer: String, idTokenHintKeys: @escaping @Sendable () -> [String: JWTVerificationKey]) {
        self.clients = clients
        self.issuer = issuer
        self.idTokenHintKeys = idTokenHintKeys
    }

    typealias Check = @Sendable (inout AuthorizationRequest) throws -> Void

    /// After the client and redirect URI are known, in this order.
    var checks: [Check] {
        [
            Self.noRequestObjects, Self.responseTypeIsCode, Self.responseModeIsKnown, Self.clientMayUseCodes,
            Self.scopeIsAllowed, Self.acrValuesAreKnown, Self.pkceIsS256, Self.publicClientsUsePKCE, Self.promptIsConsistent, Self.maxAgeIsANumber,
            checkIDTokenHint,
        ]
    }

    /// `repeated` names the parameters the request sent more than once (RFC 6749 §3.1 forbids it).
    public func validate(_ parameters: [String: String], repeated: [String] = []) async throws -> AuthorizationRequest {
        func value(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        // Which of two client ids or return addresses is meant is unknowable: nobody can be told.
        if let name = repeated.first(where: { $0 == "client_id" || $0 == "redirect_uri" }) {
            throw AuthorizeFailure.page("The application's request is malformed: it sent \(name) more than once.")
        }
        guard let clientID = value("client_id"), let client = try await clients.client(id: clientID) else {
            throw AuthorizeFailure.page("The application that sent you here is not registered with Sesame (unknown client_id).")
        }
        let redirectURI: String
        if let asked = value("redirect_uri") {
            guard RedirectURI.matches(asked, registered: client.redirectURIs) else {
                throw AuthorizeFailure.page("The application asked to send you back to an address it has not registered (redirect_uri).")
            }
            redirectURI = asked
        } else if client.redirectURIs.count == 1, value("scope").map({ !Scope($0).contains("openid") }) ?? true {
            redirectURI = client.redirectURIs[0]  // OAuth allows leaving it out when only one is registered
        } else {
            throw AuthorizeFailure.page("The application did not say where to send you back (redirect_uri is missing).")
        }
        var request = AuthorizationRequest(
            client: client, redirectURI: redirectURI, responseMode: value("response_mode").flatMap(ResponseMode.init) ?? .query,
            state: value("state"), nonce: value("nonce"), scope: Scope(value("scope")), codeChallenge: value("code_challenge"),
            prompt: Set((value("prompt") ?? "").split(separator: " ").map(String.init)),
            maxAge: nil, loginHint: value("login_hint"), hintedSubject: nil,
            authenticatedAfter: nil,  // set by the server from its signed marker
            parameters: parameters
        )
        request.redirectURIWasGiven = value("redirect_uri") != nil
        if let name = repeated.first {
            throw AuthorizeFailure.redirect(.repeatedParameter(name), redirectURI: redirectURI, state: request.state, mode: request.responseMode)
        }
        for check in checks {
            do {
                try check(&request)
            } catch let error as OAuthError {
                throw AuthorizeFailure.redirect(error, redirectURI: redirectURI, state: request.state, mode: request.responseMode)
            }
        }
        return request
    }

    static func noRequestObjects(_ r: inout AuthorizationRequest) throws {
        if r.parameters["request"] != nil { throw OAuthError.requestNotSupported }
        if r.parameters["request_uri"] != nil { throw OAuthError.requestURINotSupported }
    }

    static func responseTypeIsCode(_ r: inout AuthorizationRequest) throws {
        guard let type = r.parameters["response_type"], !type.isEmpty else { throw OAuthError.invalidRequest("response_type is required") }
        // No implicit or hybrid flow (RFC 9700 §2.1.2): tokens never travel in a redirect.
        guard type == "code" else { throw OAuthError.unsupportedResponseType(type) }
    }

    static func responseModeIsKnown(_ r: inout AuthorizationRequest) throws {
        if let mode = r.parameters["response_mode"], !mode.isEmpty, ResponseMode(rawValue: mode) == nil {
            throw OAuthError.invalidRequest("response_mode must be query or form_post")
        }
    }

    static func clientMayUseCodes(_ r: inout AuthorizationRequest) throws {
        guard r.client.allows(.authorizationCode) else { throw OAuthError.unauthorizedClient("this client may not use the authorization code flow") }
    }

    /// Scopes Sesame does not know (`address`, `phone`, an app's own) are dropped, not refused
    /// (OIDC Core §3.1.2.1). `sesame:admin` is refused: the admin API's scope belongs to service
    /// clients, and a person asking for it here would carry it in their own token.
    static func scopeIsAllowed(_ r: inout AuthorizationRequest) throws {
        guard r.scope.isWellFormed else { throw OAuthError.invalidScope("the scope is malformed") }
        if r.scope.contains(ClientManagement.adminScope) {
            throw OAuthError.invalidScope("\(ClientManagement.adminScope) is only for client_credentials tokens")
        }
        r.scope = Scope(values: r.scope.values.filter(Scope.supported.contains))
        let unknown = r.scope.values.filter { !r.client.scopes.contains($0) }
        guard unknown.isEmpty else { throw OAuthError.invalidScope("this client may not ask for: \(unknown.joined(separator: " "))") }
    }

    /// `acr_values` (OIDC Core §3.1.2.1): "2" asks for a second factor; unknown values are
    /// voluntary and ignored. (A client registered with --require-2fa always gets "2": the
    /// sign-in policy sees to that.)
    static func acrValuesAreKnown(_ r: inout AuthorizationRequest) throws {
        r.requestedLevel = AssuranceLevel.requested(in: r.parameters["acr_values"])
    }

    static func pkceIsS256(_ r: inout AuthorizationRequest) throws {
        let method = r.parameters["code_challenge_method"]
        if let challenge = r.codeChallenge {
            // `plain` is refused outright; a missing method means plain (RFC 7636 §4.3), refused too.
            guard method == PKCE.method else { throw OAuthError.invalidRequest("code_challenge_method must be S256") }
            guard PKCE.isValidChallenge(challenge) else { throw OAuthError.invalidRequest("code_challenge is not a base64url SHA-256 digest") }
        } else if let method, !method.isEmpty {
            throw OAuthError.invalidRequest("code_challenge_method without code_challenge")
        }
    }

    static func publicClientsUsePKCE(_ r: inout AuthorizationRequest) throws {
        if r.client.isPublic && r.codeChallenge == nil { throw OAuthError.invalidRequest("public clients must send a PKCE code_challenge (S256)") }
    }

    /// The `prompt` values Sesame acts on, as discovery lists them; `select_account` is accepted
    /// too but means nothing here (one account per browser).
    public static let announcedPromptValues = ["none", "login", "consent"]

    static func promptIsConsistent(_ r: inout AuthorizationRequest) throws {
        guard r.prompt.isSubset(of: Set(announcedPromptValues + ["select_account"])) else { throw OAuthError.invalidRequest("unknown prompt value") }
        if r.prompt.contains("none") && r.prompt.count > 1 { throw OAuthError.invalidRequest("prompt=none cannot be combined with other values") }
    }

    static func maxAgeIsANumber(_ r: inout AuthorizationRequest) throws {
        if let text = r.parameters["max_age"], !text.isEmpty {
            guard let seconds = Int(text), seconds >= 0 else { throw OAuthError.invalidRequest("max_age must be a number of seconds") }
            r.maxAge = seconds
        }
    }

    /// A hint must be an ID token Sesame signed for this client; it may have expired.
    func checkIDTokenHint(_ r: inout AuthorizationRequest) throws {
        guard let hint = r.parameters["id_token_hint"], !hint.isEmpty else { return }
        guard let token = VerifiedJWT.verify(hint, keys: idTokenHintKeys()), token.string("iss") == issuer,
            token.audiences.contains(r.client.id), let subject = token.string("sub")
        else { throw OAuthError.invalidRequest("id_token_hint is not an ID token that Sesame issued to this client") }
        r.hintedSubject = subject
    }
}
