import Foundation

/// What an operator asks for when adding or changing a client. Nil fields keep their current
/// value on update.
public struct ClientRegistration: Sendable {
    public var redirectURIs: [String]?
    public var postLogoutRedirectURIs: [String]?
    public var isPublic: Bool?
    public var grantTypes: [String]?
    public var scopes: [String]?
    public var tokenEndpointAuthMethod: String?
    public var jwksURI: String?
    public var jwks: String?
    public var firstParty: Bool?
    public var idTokenSignedResponseAlg: String?
    public var requireTwoFactor: Bool?
    /// Replace the client's required roles / groups / access claims when given.
    public var requiredRoles: [String]?
    public var requiredGroups: [String]?
    public var accessClaims: [String]?
    /// "" removes it.
    public var frontchannelLogoutURI: String?
    /// "" removes it.
    public var backchannelLogoutURI: String?
    /// May introspect other clients' access tokens.
    public var resourceServer: Bool?

    public init(
        redirectURIs: [String]? = nil, postLogoutRedirectURIs: [String]? = nil, isPublic: Bool? = nil, grantTypes: [String]? = nil,
        scopes: [String]? = nil, tokenEndpointAuthMethod: String? = nil, jwksURI: String? = nil, jwks: String? = nil,
        firstParty: Bool? = nil, idTokenSignedResponseAlg: String? = nil
    ) {
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.isPublic = isPublic
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.firstParty = firstParty
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
    }
}

/// Client management: every rule about what a client may be is checked here.
public struct ClientService: Sendable {
    private let store: any ClientStore
    private let clock: any WallClock
    private let random: any RandomSource

    public init(store: any ClientStore, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.store = store
        self.clock = clock
        self.random = random
    }

    /// Scopes a client may hold beyond the user-facing ones.
    public static let serviceScopes = [adminScope]
    /// The admin API's scope: held only by service clients, never asked for by a person.
    public static let adminScope = "sesame:admin"

    /// Registers a client; returns it and, for clients that authenticate with a secret, the secret
    /// (shown once, stored only as a digest).
    public func add(name: String, _ registration: ClientRegistration) async throws -> (Client, secret: String?) {
        guard (1...100).contains(name.count), name.allSatisfy({ $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || "._-".contains($0) }) else {
            throw ClientError("'\(name)' is not a valid client name: use 1-100 letters, digits, '.', '_' or '-'")
        }
        var client = Client(
            id: random.token(byteCount: 16), name: name, secretDigest: nil, redirectURIs: [], grantTypes: [], scopes: [],
            tokenEndpointAuthMethod: .clientSecretBasic, createdAt: clock.now()
        )
        let isPublic = registration.isPublic ?? false
        var full = registration
        full.grantTypes = registration.grantTypes ?? ["authorization_code", "refresh_token"]
        full.scopes = registration.scopes ?? Scope.supported
        full.tokenEndpointAuthMethod = registration.tokenEndpointAuthMethod ?? (isPublic ? "none" : "client_secret_basic")
        full.redirectURIs = registration.redirectURIs ?? []
        try apply(full, to: &client)
        let secret = needsSecret(client) ? random.token(byteCount: 32) : nil
        client.secretDigest = secret.map(TokenDigest.of)
        try await store.insert(client)
        return (client, secret)
    }

    public func update(name: String, _ registration: ClientRegistration) async throws -> (Client, secret: String?) {
        var client = try await client(named: name)
        let hadSecret = needsSecret(client)
        try apply(registration, to: &client)
        var secret: String?
        if needsSecret(client) && !hadSecret {
            secret = random.token(byteCount: 32)
            client.secretDigest = secret.map(TokenDigest.of)
        } else if !needsSecret(client) {
            client.secretDigest = nil
        }
        try await store.update(client)
        return (client, secret)
    }

    public func rotateSecret(name: String) async throws -> String {
        var client = try await client(named: name)
        guard needsSecret(client) else {
            throw ClientError("client '\(name)' authenticates with \(client.tokenEndpointAuthMethod.rawValue) and has no secret")
        }
        let secret = random.token(byteCount: 32)
        client.secretDigest = TokenDigest.of(secret)
        try await store.update(client)
        return secret
    }

    public func delete(name: String) async throws {
        let client = try await client(named: name)
        _ = try await store.delete(clientID: client.id)
    }

    public func clients() async throws -> [Client] {
        try await store.clients()
    }

    /// Looks a client up by name or by client_id.
    public func client(named name: String) async throws -> Client {
        if let client = try await store.client(name: name) { return client }
        if let client = try await store.client(id: name) { return client }
        throw ClientError.unknownClient(name)
    }

    private func needsSecret(_ client: Client) -> Bool {
        client.tokenEndpointAuthMethod == .clientSecretBasic || client.tokenEndpointAuthMethod == .clientSecretPost
    }

    private func apply(_ r: ClientRegistration, to client: inout Client) throws {
        if let uris = r.redirectURIs {
            for uri in uris { if let problem = RedirectURI.problem(with: uri) { throw ClientError(problem) } }
            client.redirectURIs = uris
        }
        if let uris = r.postLogoutRedirectURIs {
            for uri in uris { if let problem = RedirectURI.problem(with: uri) { throw ClientError(problem) } }
            client.postLogoutRedirectURIs = uris
        }
        if let grants = r.grantTypes {
            client.grantTypes = try grants.map { name in
                guard let grant = GrantType(rawValue: name) else {
                    throw ClientError("unknown grant '\(name)'; use authorization_code, refresh_token or client_credentials")
                }
                return grant
            }
        }
        if let scopes = r.scopes {
            for scope in scopes where !Scope.supported.contains(scope) && !Self.serviceScopes.contains(scope) {
                throw ClientError("unknown scope '\(scope)'; known: \((Scope.supported + Self.serviceScopes).joined(separator: " "))")
            }
            client.scopes = scopes
        }
        if let method = r.tokenEndpointAuthMethod {
            guard let parsed = TokenEndpointAuthMethod(rawValue: method) else {
                throw ClientError("unknown token auth '\(method)'; use client_secret_basic, client_secret_post, private_key_jwt or none")
            }
            client.tokenEndpointAuthMethod = parsed
        }
        if r.isPublic == true { client.tokenEndpointAuthMethod = .none }
        if r.isPublic == false && client.tokenEndpointAuthMethod == .none { client.tokenEndpointAuthMethod = .clientSecretBasic }
        if let uri = r.jwksURI {
            if let problem = RedirectURI.problem(with: uri), !uri.hasPrefix("https://") { throw ClientError("jwks URI: \(problem)") }
            client.jwksURI = uri
        }
        if let jwks = r.jwks {
            guard (try? JSONSerialization.jsonObject(with: Data(jwks.utf8)) as? [String: Any])?["keys"] is [Any] else {
                throw ClientError("jwks must be a JSON Web Key Set: {\"keys\": [...]}")
            }
            client.jwks = jwks
        }
        if let firstParty = r.firstParty { client.firstParty = firstParty }
        if let requireTwoFactor = r.requireTwoFactor { client.requireTwoFactor = requireTwoFactor }
        if let resourceServer = r.resourceServer { client.resourceServer = resourceServer }
        if let roles = r.requiredRoles {
            for role in roles { try Self.checked { try RoleName.check(role, what: "role") } }
            client.requiredRoles = roles.map { $0.lowercased() }
        }
        if let groups = r.requiredGroups {
            for group in groups { try Self.checked { try RoleName.check(group, what: "group", allowsApp: false) } }
            client.requiredGroups = groups.map { $0.lowercased() }
        }
        if let uri = r.frontchannelLogoutURI {
            if uri.isEmpty {
                client.frontchannelLogoutURI = nil
            } else {
                guard let url = URLComponents(string: uri), ["https", "http"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
                    url.fragment == nil
                else { throw ClientError("the front-channel logout URI must be an absolute http(s) URL without a fragment") }
                client.frontchannelLogoutURI = uri
            }
        }
        if let uri = r.backchannelLogoutURI {
            if uri.isEmpty {
                client.backchannelLogoutURI = nil
            } else {
                if let problem = Self.backchannelLogoutProblem(uri) { throw ClientError(problem) }
                client.backchannelLogoutURI = uri
            }
        }
        if let claims = r.accessClaims {
            guard claims.allSatisfy(Client.allAccessClaims.contains) else {
                throw ClientError("access claims must be among \(Client.allAccessClaims.joined(separator: ", "))")
            }
            client.accessClaims = claims
        }
        if let alg = r.idTokenSignedResponseAlg {
            guard ["ES256", "RS256"].contains(alg) else { throw ClientError("id_token_signed_response_alg must be ES256 or RS256") }
            client.idTokenSignedResponseAlg = alg
        }
        try check(client)
    }

    private func check(_ client: Client) throws {
        if client.allows(.authorizationCode) && client.redirectURIs.isEmpty {
            throw ClientError("a client with the authorization_code grant needs at least one redirect URI (redirect_uris, --redirect-uri)")
        }
        if client.isPublic && client.allows(.clientCredentials) {
            throw ClientError("a public client cannot use client_credentials: it has no credentials")
        }
        if client.allows(.refreshToken) && !client.allows(.authorizationCode) {
            throw ClientError("refresh_token needs the authorization_code grant")
        }
        if client.grantTypes.isEmpty { throw ClientError("a client needs at least one grant") }
        // A person could otherwise ask for it at /authorize and act as admin with their token.
        if client.scopes.contains(Self.adminScope) && (client.isPublic || client.allows(.authorizationCode)) {
            throw ClientError("\(Self.adminScope) is only for confidential clients that use client_credentials alone (no authorization_code, not public)")
        }
        if client.resourceServer && client.isPublic {
            throw ClientError("a resource server must be a confidential client: introspection needs client authentication")
        }
        if client.tokenEndpointAuthMethod == .privateKeyJWT && client.jwksURI == nil && client.jwks == nil {
            throw ClientError("private_key_jwt needs its public keys: a jwks_uri (--jwks-uri) or, from the CLI, --jwks")
        }
    }
}

extension ClientService {
    /// Longer than any sensible endpoint; the URI is stored and sent to on every sign-out.
    static let backchannelLogoutURILimit = 2048

    /// Sesame's own server POSTs here, so as for redirect URIs: https, or plain http on loopback
    /// only; never a fragment (Back-Channel Logout §2.2), a user name or a private-use scheme.
    static func backchannelLogoutProblem(_ uri: String) -> String? {
        let refused = "the back-channel logout URI must be an absolute https URL (http only on loopback), without a fragment or user info, of at most \(backchannelLogoutURILimit) bytes"
        guard uri.utf8.count <= backchannelLogoutURILimit, uri.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            let url = URLComponents(string: uri), ["https", "http"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
            url.fragment == nil, url.user == nil, url.password == nil, RedirectURI.problem(with: uri) == nil
        else { return refused }
        return nil
    }

    /// Reports a bad role or group name as a client error (the CLI's and admin API's kind).
    static func checked(_ body: () throws -> Void) throws {
        do { try body() } catch let error as AccessError { throw ClientError(error.description) }
    }
}
