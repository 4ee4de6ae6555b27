/// One grant type at the token endpoint (RFC 6749 §4). The endpoint finds the grant for the
/// request's `grant_type` and hands it an authenticated client.
public protocol TokenGrant: Sendable {
    var grantType: GrantType { get }
    func handle(_ request: TokenRequest, client: Client) async throws -> IssuedTokens
}

extension TokenGrant {
    /// Refresh tokens go to confidential clients, and to public ones only with `offline_access`.
    func mayRefresh(_ client: Client, scope: Scope) -> Bool {
        client.allows(.refreshToken) && (!client.isPublic || scope.contains("offline_access"))
    }
}
