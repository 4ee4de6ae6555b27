import Foundation

/// Client management for every door (CLI, admin API): every rule about what a client may be is
/// checked here, and each change records one audit event with the same detail whichever door.
public struct ClientManagement: Sendable {
    private let store: any ClientStore
    private let clock: any WallClock
    private let random: any RandomSource
    /// Where changes are recorded; nil records nothing (tests of the rules alone).
    public var audit: AuditTrail?
    /// Who changes things, as the audit trail names them.
    public var actor = ManagementActor.cli

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
    /// (shown once, stored only as a digest). A name that is not an identifier ("Team Wiki")
    /// becomes the display name, and the identifier is made from it ("team-wiki").
    public func add(name: String, _ registration: ClientRegistration) async throws -> (Client, secret: String?) {
        var registration = registration
        var name = name
        if !Self.isIdentifier(name) {
            guard registration.displayName == nil else { throw Self.invalidName(name) }
            registration.displayName = name
            name = Self.identifier(from: name)
            guard Self.isIdentifier(name) else { throw Self.invalidName(registration.displayName ?? name) }
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
        let blank = Client(
            id: client.id, name: "", secretDigest: nil, redirectURIs: [], grantTypes: [], scopes: [], tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
            createdAt: client.createdAt
        )
        var created = client.changes(since: blank)
        created["name"] = ([], [client.name])
        await record(.clientCreated, client, created)
        return (client, secret)
    }

    public func update(name: String, _ registration: ClientRegistration) async throws -> (Client, secret: String?) {
        var client = try await client(named: name)
        let before = client
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
        await record(.clientUpdated, client, client.changes(since: before))
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
        await record(.clientSecretRotated, client, [:])
        return secret
    }

    @discardableResult
    public func delete(name: String) async throws -> Client {
        let client = try await client(named: name)
        guard try await store.delete(clientID: client.id) else { throw ClientError.unknownClient(name) }
        await record(.clientDeleted, client, ["name": ([client.name], [])])
        return client
    }

    public func clients() async throws -> [Client] {
        try await store.clients()
    }

    /// Looks a client up by name, by client_id, or by a display name that only one client has.
    public func client(named name: String) async throws -> Client {
        if let client = try await store.client(name: name) { return client }
        if let client = try await store.client(id: name) { return client }
        let shown = try await store.clients().filter { $0.displayName?.lowercased() == name.lowercased() }
        if shown.count == 1 { return shown[0] }
        throw ClientError.unknownClient(name)
    }

    private func record(_ kind: AuditEventKind, _ client: Client, _ changes: [String: (before: [String], after: [String])]) async {
        await audit?.record(kind, actor: actor.auditName, subject: client.id, detail: AuditEvent.changes(changes))
    }

    private func needsSecret(_ client: Client) -> Bool {
        client.tokenEndpointAuthMethod == .clientSecretBasic || client.tokenEndpointAuthMethod == .clientSecretPost
    }

    private func apply(_ r: ClientRegistration, to client: inout Client) throws {
        if let shown = r.displayName {
            let trimmed = shown.trimmingCharacters(in: .whitespaces)
            guard trimmed.unicodeScalars.count <= Self.displayNameLimit,
                trimmed.unicodeScalars.allSatisfy({ !$0.properties.generalCategory.isControlOrFormat })
            else { throw ClientError("a display name has at most \(Self.displayNameLimit) characters and no control characters", field: "display_name") }
            client.displayName = trimmed.isEmpty ? nil : trimmed
        }
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

extension ClientManagement {
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

extension ClientManagement {
    static let displayNameLimit = 100

    /// The identifier rule: 1-100 ASCII letters, digits, '.', '_' or '-' (checked on bytes).
    static func isIdentifier(_ name: String) -> Bool {
        (1...100).contains(name.utf8.count) && name.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || "._-".utf8.contains($0)
        }
    }

    /// "Team Wiki" -> "team-wiki": runs of anything but ASCII letters and digits become one '-'.
    static func identifier(from shown: String) -> String {
        var out = ""
        for scalar in shown.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.lowercased().prefix(100))
    }

    static func invalidName(_ name: String) -> ClientError {
        ClientError("'\(name)' is not a valid client name: use 1-100 letters, digits, '.', '_' or '-', or a display name with letters or digits", field: "name")
    }
}

extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}
