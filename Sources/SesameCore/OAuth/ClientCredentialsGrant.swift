/// `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client acting for itself.
public struct ClientCredentialsGrant: TokenGrant {
    public let grantType = GrantType.clientCredentials
    private let issuer: TokenIssuer

    /// Scopes about a person make no sense without one.
    static var personScopes: Set<String> { ScopeCatalogue.personalNames }

    public init(issuer: TokenIssuer) {
        self.issuer = issuer
    }

    public func handle(_ request: TokenRequest, client: Client) async throws -> IssuedTokens {
        guard !client.isPublic else { throw OAuthError.unauthorizedClient("public clients cannot use client_credentials") }
        let allowed = client.scopes.filter { !Self.personScopes.contains($0) }
        let scope = request["scope"].map { Scope($0) } ?? Scope(values: allowed)
        guard scope.isWellFormed, scope.isSubset(of: allowed) else {
            throw OAuthError.invalidScope("this client may ask for: \(allowed.joined(separator: " "))")
        }
        return try await issuer.issue(to: client, TokenGrantContext(user: nil, scope: scope, familyID: nil, includeRefreshToken: false))
    }
}
