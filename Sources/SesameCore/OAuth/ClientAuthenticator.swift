import SesameJOSE
import Foundation

/// Authenticates a client at the token, introspection and revocation endpoints, each client only
/// by the one method it registered.
public struct ClientAuthenticator: Sendable {
    static let jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    private let clients: any ClientStore
    private let replay: any AssertionReplayStore
    private let keyFetcher: any ClientKeyFetcher
    /// The URLs a client assertion's `aud` may name: the issuer and the endpoint it was sent to.
    private let audiences: [String]
    private let clock: any WallClock

    public init(
        clients: any ClientStore, replay: any AssertionReplayStore, keyFetcher: any ClientKeyFetcher, audiences: [String],
        clock: any WallClock = SystemClock()
    ) {
        self.clients = clients
        self.replay = replay
        self.keyFetcher = keyFetcher
        self.audiences = audiences
        self.clock = clock
    }

    /// Client ids are 22 characters; anything much longer is refused before any lookup, so that
    /// no oversized value reaches the store or the audit log.
    public static let maxClientIDLength = 255

    public func authenticate(_ credentials: ClientCredentials) async throws -> Client {
        if let claimed = credentials.claimedID, claimed.utf8.count > Self.maxClientIDLength {
            throw OAuthError.invalidClient("client_id is too long")
        }
        if let (id, secret) = credentials.basic {
            return try await withSecret(id: id, secret: secret, method: .clientSecretBasic)
        }
        if let assertion = credentials.assertion {
            guard credentials.assertionType == Self.jwtBearer else {
                throw OAuthError.invalidClient("client_assertion_type must be \(Self.jwtBearer)")
            }
            return try await withAssertion(assertion, claimedID: credentials.formClientID)
        }
        guard let id = credentials.formClientID else { throw OAuthError.invalidClient("no client authentication was given") }
        if let secret = credentials.formClientSecret {
            return try await withSecret(id: id, secret: secret, method: .clientSecretPost)
        }
        guard let client = try await clients.client(id: id), client.tokenEndpointAuthMethod == .none else {
            throw OAuthError.invalidClient(detail: "client \(id) sent no credentials")
        }
        return client
    }

    private func withSecret(id: String, secret: String, method: TokenEndpointAuthMethod) async throws -> Client {
        // The same digest work is done for unknown clients, so timing does not tell them apart.
        let presented = TokenDigest.of(secret)
        let client = try await clients.client(id: id)
        guard let client, let stored = client.secretDigest, ConstantTime.equals(presented, stored) else {
            throw OAuthError.invalidClient(detail: "wrong secret or unknown client \(id)")
        }
        guard client.tokenEndpointAuthMethod == method else {
            throw OAuthError.invalidClient("this client must authenticate with \(client.tokenEndpointAuthMethod.rawValue)")
        }
        return client
    }

    /// RFC 7523 §3: iss = sub = client_id, aud names this server, not expired, jti used once.
    private func withAssertion(_ assertion: String, claimedID: String?) async throws -> Client {
        guard let unverified = CompactJWS(assertion)?.unverifiedClaims, let id = unverified["iss"]?.string,
            unverified["sub"]?.string == id, claimedID == nil || claimedID == id
        else { throw OAuthError.invalidClient("the client assertion is malformed") }
        guard let client = try await clients.client(id: id), client.tokenEndpointAuthMethod == .privateKeyJWT else {
            throw OAuthError.invalidClient(detail: "assertion for unknown or non-private_key_jwt client \(id)")
        }
        let keys = try await keyFetcher.keys(for: client)
        guard let verified = VerifiedJWT.verify(assertion, clientKeys: keys) else {
            throw OAuthError.invalidClient(detail: "bad assertion signature for \(id)")
        }
        let now = clock.now().timeIntervalSince1970
        guard let exp = verified.number("exp"), exp > now, exp < now + 3600,
            !verified.audiences.filter(audiences.contains).isEmpty,
            let jti = verified.string("jti"), !jti.isEmpty
        else { throw OAuthError.invalidClient("the client assertion is expired, for another audience, or has no jti") }
        guard try await replay.rememberAssertion(jti: jti, clientID: id, expiresAt: Date(timeIntervalSince1970: exp)) else {
            throw OAuthError.invalidClient("the client assertion was used before")
        }
        return client
    }
}

/// Gets a private_key_jwt client's public keys, from its registration or its jwks_uri.
public protocol ClientKeyFetcher: Sendable {
    func keys(for client: Client) async throws -> [JWTVerificationKey]
}
