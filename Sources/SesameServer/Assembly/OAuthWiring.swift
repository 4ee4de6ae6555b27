import SesameCore
import SesameModels
import SesameSQL

/// Builds the OpenID Connect / OAuth provider from the store and the loaded keys.
enum OAuthWiring {
    static func make(
        store: SQLStore, keys: KeySetHolder, settings: TokenSettings, audit: AuditTrail, twoFactor: TwoFactorService, dataKey: DataKey,
        clock: any WallClock, random: any RandomSource
    ) -> OAuthDependencies {
        let discovery = DiscoveryDocument.sesame(issuer: settings.issuer)
        let clients = ClientCache(store: store)
        let issuer = TokenIssuer(settings: settings, keys: keys, tokens: store, clock: clock, random: random)
        let authenticator = ClientAuthenticator(
            clients: clients, replay: store, keyFetcher: ClientJWKSFetcher(),
            audiences: [settings.issuer, discovery.token_endpoint, discovery.introspection_endpoint, discovery.revocation_endpoint]
        )
        let grants: [any TokenGrant] = [
            AuthorizationCodeGrant(codes: store, tokens: store, users: store, issuer: issuer),
            RefreshTokenGrant(
                tokens: store, users: store, issuer: issuer, gracePeriod: settings.refreshGracePeriod,
                successorKey: dataKey.derived(for: "refresh-successor")  // the same on every instance
            ),
            ClientCredentialsGrant(issuer: issuer),
        ]
        let validator = AccessTokenValidator(keys: keys, tokens: store, issuer: settings.issuer)
        return OAuthDependencies(
            discovery: discovery, keys: keys,
            authorizeChecks: AuthorizeChecks(clients: clients, issuer: settings.issuer, idTokenHintKeys: { keys.current.verificationKeys }),
            authorization: AuthorizationService(codes: store, consents: store, settings: settings, twoFactor: twoFactor),
            tokenEndpoint: TokenEndpoint(authenticator: authenticator, grants: grants, audit: audit, throttle: store),
            validator: validator,
            introspection: TokenIntrospection(validator: validator, tokens: store, users: store, issuer: settings.issuer),
            clients: store, audit: audit
        )
    }
}
