import SesameJOSE
import Crypto
import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite

/// The OAuth rules end to end on the real SQLite store, with a hand-moved clock.
struct OAuthFixture {
    let store: SQLStore
    let clock = ManualClock()
    let keys: KeySetHolder
    let settings = TokenSettings(issuer: "https://sesame.test")
    let user: User

    static func with(_ body: (OAuthFixture) async throws -> Void) async throws {
        try await withStore { store, _ in
            let ring = SigningKeyRing(store: store, sealer: DataKey(bytes: Array(repeating: 1, count: 32))!.sealer)
            try await ring.ensureKeys()
            let keys = KeySetHolder(try await ring.load(publishFor: 3600))
            let user = try await AccountService(users: store, sessions: store, hasher: fastHasher).addUser(username: "uma", email: "uma@example.com", name: "Uma", password: "uma-password")
            try await body(OAuthFixture(store: store, keys: keys, user: user))
        }
    }

    var issuer: TokenIssuer { TokenIssuer(settings: settings, keys: keys, tokens: store, clock: clock) }
    var clients: ClientManagement { ClientManagement(store: store, clock: clock) }
    var authorization: AuthorizationService { AuthorizationService(codes: store, consents: store, settings: settings, clock: clock) }
    var checks: AuthorizeChecks { AuthorizeChecks(clients: store, issuer: settings.issuer, idTokenHintKeys: { keys.current.verificationKeys }) }
    var codeGrant: AuthorizationCodeGrant { AuthorizationCodeGrant(codes: store, tokens: store, users: store, issuer: issuer, clock: clock) }
    var refreshGrant: RefreshTokenGrant { refreshGrant(grace: 0) }
    func refreshGrant(grace: TimeInterval) -> RefreshTokenGrant {
        RefreshTokenGrant(tokens: store, users: store, issuer: issuer, gracePeriod: grace, successorKey: Self.successorKey, clock: clock)
    }

    func authenticator(_ keyFetcher: any ClientKeyFetcher = RegisteredKeys()) -> ClientAuthenticator {
        ClientAuthenticator(clients: store, replay: store, keyFetcher: keyFetcher, audiences: [settings.issuer, settings.issuer + "/token"], clock: clock)
    }

    func session() -> SessionRecord {
        SessionRecord(idDigest: "d", userID: user.id, createdAt: clock.now(), lastSeenAt: clock.now(), authenticatedAt: clock.now())
    }

    /// Runs the authorize checks and issues a code as if the person had signed in and agreed.
    func code(for client: Client, challenge: String? = PKCE.challenge(for: verifier), scope: String = "openid offline_access") async throws -> String {
        var parameters = ["client_id": client.id, "response_type": "code", "redirect_uri": client.redirectURIs[0], "scope": scope, "nonce": "n"]
        if let challenge {
            parameters["code_challenge"] = challenge
            parameters["code_challenge_method"] = "S256"
        }
        let request = try await checks.validate(parameters)
        return try await authorization.issueCode(for: request, user: user, session: session())
    }

    func redeem(_ code: String, client: Client, verifier: String? = Self.verifier, redirectURI: String? = nil) async throws -> IssuedTokens {
        var parameters = ["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI ?? client.redirectURIs[0]]
        parameters["code_verifier"] = verifier
        return try await codeGrant.handle(TokenRequest(parameters: parameters, credentials: ClientCredentials(parameters: [:]), clientAddress: nil), client: client)
    }

    func refresh(_ token: String, client: Client, grace: TimeInterval = 0) async throws -> IssuedTokens {
        try await refreshGrant(grace: grace).handle(
            TokenRequest(parameters: ["grant_type": "refresh_token", "refresh_token": token], credentials: ClientCredentials(parameters: [:]), clientAddress: nil),
            client: client
        )
    }

    static let successorKey = SymmetricKey(data: Array(repeating: UInt8(7), count: 32))
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    var verifier: String { Self.verifier }
}

struct RegisteredKeys: ClientKeyFetcher {
    func keys(for client: Client) async throws -> [JWTVerificationKey] {
        client.jwks.map(JWTVerificationKey.keys(fromJWKS:)) ?? []
    }
}

func invalidGrant(_ error: any Error) -> Bool { (error as? OAuthError)?.code == "invalid_grant" }

@Suite struct AuthorizationCodeTests {
    @Test func aCodeWorksOnceAndItsReplayRevokesTheTokens() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let code = try await f.code(for: client)
            let tokens = try await f.redeem(code, client: client)
            #expect(tokens.id_token != nil && tokens.refresh_token != nil)
            await #expect(performing: { _ = try await f.redeem(code, client: client) }, throws: invalidGrant)
            await #expect(performing: { _ = try await f.refresh(tokens.refresh_token!, client: client) }, throws: invalidGrant)
            let validator = AccessTokenValidator(keys: f.keys, tokens: f.store, issuer: f.settings.issuer, clock: f.clock)
            #expect(try await validator.validate(tokens.access_token) == nil, "the access token from the replayed code is revoked")
        }
    }

    @Test func codesExpireAfterSixtySeconds() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let code = try await f.code(for: client)
            f.clock.advance(61)
            await #expect(performing: { _ = try await f.redeem(code, client: client) }, throws: invalidGrant)
        }
    }

    @Test func codesAreBoundToClientRedirectAndVerifier() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb", "https://app.example/cb2"]))
            let (other, _) = try await f.clients.add(name: "other", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            await #expect(performing: { _ = try await f.redeem(try await f.code(for: client), client: other) }, throws: invalidGrant)
            await #expect(performing: { _ = try await f.redeem(try await f.code(for: client), client: client, redirectURI: "https://app.example/cb2") }, throws: invalidGrant)
            await #expect(performing: { _ = try await f.redeem(try await f.code(for: client), client: client, verifier: nil) }, throws: invalidGrant)
            await #expect(performing: { _ = try await f.redeem(try await f.code(for: client), client: client, verifier: String(repeating: "x", count: 43)) }, throws: invalidGrant)
            // A verifier for a code issued without a challenge is a downgrade attempt.
            await #expect(performing: { _ = try await f.redeem(try await f.code(for: client, challenge: nil), client: client) }, throws: invalidGrant)
            _ = try await f.redeem(try await f.code(for: client, challenge: nil), client: client, verifier: nil)
        }
    }

    /// RFC 6749 §4.1.3: redirect_uri is needed at the token endpoint only if the request had one.
    @Test func aCodeRequestedWithoutRedirectURIIsRedeemedWithoutIt() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            func code() async throws -> String {
                let request = try await f.checks.validate([
                    "client_id": client.id, "response_type": "code", "scope": "offline_access", "code_challenge": PKCE.challenge(for: f.verifier),
                    "code_challenge_method": "S256",
                ])
                #expect(request.redirectURI == "https://app.example/cb")
                return try await f.authorization.issueCode(for: request, user: f.user, session: f.session())
            }
            func redeem(_ code: String, redirectURI: String?) async throws -> IssuedTokens {
                var parameters = ["grant_type": "authorization_code", "code": code, "code_verifier": f.verifier]
                parameters["redirect_uri"] = redirectURI
                return try await f.codeGrant.handle(TokenRequest(parameters: parameters, credentials: ClientCredentials(parameters: [:]), clientAddress: nil), client: client)
            }
            _ = try await redeem(try await code(), redirectURI: nil)
            _ = try await redeem(try await code(), redirectURI: "https://app.example/cb")
            await #expect(performing: { _ = try await redeem(try await code(), redirectURI: "https://evil.example/cb") }, throws: invalidGrant)
            // A request that named it must repeat it.
            await #expect(performing: { _ = try await f.redeem(try await f.code(for: client), client: client, redirectURI: "") }, throws: invalidGrant)
        }
    }

    @Test func concurrentRedemptionsOfOneCodeHaveOneWinner() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let digest = TokenDigest.of(try await f.code(for: client))
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        if case .consumed = try await f.store.consumeCode(digest: digest, at: Date()) { return true }
                        return false
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }
}

@Suite struct RefreshTokenTests {
    @Test func rotationAndReuseDetection() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let first = try await f.redeem(try await f.code(for: client), client: client)
            let second = try await f.refresh(first.refresh_token!, client: client)
            #expect(second.refresh_token != first.refresh_token)
            let third = try await f.refresh(second.refresh_token!, client: client)
            await #expect(performing: { _ = try await f.refresh(first.refresh_token!, client: client) }, throws: invalidGrant)
            // The reuse revoked the family, so even the newest token is dead.
            await #expect(performing: { _ = try await f.refresh(third.refresh_token!, client: client) }, throws: invalidGrant)
        }
    }

    @Test func aGracePeriodLetsARetryThroughButNotALateReplay() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let first = try await f.redeem(try await f.code(for: client), client: client)
            let second = try await f.refresh(first.refresh_token!, client: client, grace: 10)
            f.clock.advance(5)
            let retried = try await f.refresh(first.refresh_token!, client: client, grace: 10)  // the response was lost; retry
            #expect(retried.refresh_token == second.refresh_token, "the retry gets the same successor, not a second chain")
            f.clock.advance(6)
            await #expect(performing: { _ = try await f.refresh(first.refresh_token!, client: client, grace: 10) }, throws: invalidGrant)
            await #expect(performing: { _ = try await f.refresh(retried.refresh_token!, client: client, grace: 10) }, throws: invalidGrant)
        }
    }

    /// 64 concurrent refreshes of one token within the grace period leave one live chain.
    @Test func concurrentRefreshesWithinTheGracePeriodShareOneSuccessor() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let first = try await f.redeem(try await f.code(for: client), client: client)
            let grant = f.refreshGrant(grace: 10)
            let successors = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        try await grant.handle(
                            TokenRequest(parameters: ["grant_type": "refresh_token", "refresh_token": first.refresh_token!], credentials: ClientCredentials(parameters: [:]), clientAddress: nil),
                            client: client
                        ).refresh_token
                    }
                }
                return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
            }
            #expect(successors.count == 1)
            let successor = try #require(successors.first ?? nil)
            _ = try await f.refresh(successor, client: client, grace: 10)
        }
    }

    /// The instance that consumed the token died before storing the successor: the retry on
    /// another instance stores it, so the chain goes on (the scale-out kill test found this).
    @Test func aRetryStoresTheSuccessorIfTheFirstAnswerNeverDid() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let first = try await f.redeem(try await f.code(for: client), client: client)
            _ = try await f.store.consumeRefreshToken(digest: TokenDigest.of(first.refresh_token!), at: f.clock.now())  // then it died
            f.clock.advance(2)
            let retried = try await f.refresh(first.refresh_token!, client: client, grace: 10)
            _ = try await f.refresh(retried.refresh_token!, client: client, grace: 10)
        }
    }

    /// A refused request must not use up the token: the client's next normal refresh is no theft.
    @Test func aRefusedRefreshLeavesTheTokenUsable() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let first = try await f.redeem(try await f.code(for: client, scope: "openid offline_access"), client: client)
            let wider = TokenRequest(
                parameters: ["grant_type": "refresh_token", "refresh_token": first.refresh_token!, "scope": "openid email"],
                credentials: ClientCredentials(parameters: [:]), clientAddress: nil
            )
            await #expect(performing: { _ = try await f.refreshGrant.handle(wider, client: client) }, throws: { ($0 as? OAuthError)?.code == "invalid_scope" })
            let next = try await f.refresh(first.refresh_token!, client: client)
            _ = try await f.refresh(next.refresh_token!, client: client)
        }
    }

    /// Strict reuse detection (no grace period): the loser of a race is treated as a replay.
    @Test func withoutAGracePeriodAnyRepeatRevokesTheFamily() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let first = try await f.redeem(try await f.code(for: client), client: client)
            let second = try await f.refresh(first.refresh_token!, client: client)
            await #expect(performing: { _ = try await f.refresh(first.refresh_token!, client: client) }, throws: invalidGrant)
            await #expect(performing: { _ = try await f.refresh(second.refresh_token!, client: client) }, throws: invalidGrant)
        }
    }

    @Test func anotherClientCannotUseOrBurnARefreshToken() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let (thief, _) = try await f.clients.add(name: "thief", ClientRegistration(redirectURIs: ["https://evil.example/cb"]))
            let tokens = try await f.redeem(try await f.code(for: client), client: client)
            await #expect(performing: { _ = try await f.refresh(tokens.refresh_token!, client: thief) }, throws: invalidGrant)
            _ = try await f.refresh(tokens.refresh_token!, client: client)
        }
    }

    @Test func publicClientsGetRefreshTokensOnlyWithOfflineAccess() async throws {
        try await OAuthFixture.with { f in
            let (client, secret) = try await f.clients.add(name: "spa", ClientRegistration(redirectURIs: ["http://127.0.0.1/cb"], isPublic: true))
            #expect(secret == nil)
            #expect(try await f.redeem(try await f.code(for: client, scope: "openid"), client: client).refresh_token == nil)
            #expect(try await f.redeem(try await f.code(for: client, scope: "openid offline_access"), client: client).refresh_token != nil)
        }
    }
}

@Suite struct AuthorizeChecksTests {
    @Test func checksRunInOrderAndRedirectOnlyToVerifiedURIs() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"], scopes: ["openid", "email"]))
            let base = ["client_id": client.id, "redirect_uri": "https://app.example/cb", "response_type": "code", "scope": "openid", "state": "s"]
            func failure(_ changes: [String: String?]) async -> String {
                var parameters = base
                for (key, value) in changes { parameters[key] = value }
                do {
                    _ = try await f.checks.validate(parameters)
                    return "valid"
                } catch AuthorizeFailure.page {
                    return "page"
                } catch AuthorizeFailure.redirect(let error, let uri, let state, _) {
                    return uri == "https://app.example/cb" && state == "s" ? error.code : "bad redirect"
                } catch {
                    return "\(error)"
                }
            }
            #expect(await failure([:]) == "valid")
            #expect(await failure(["client_id": "nope"]) == "page")
            #expect(await failure(["redirect_uri": "https://evil.example/cb"]) == "page")
            #expect(await failure(["redirect_uri": nil]) == "page", "openid requests must name the redirect URI")
            #expect(await failure(["request": "x"]) == "request_not_supported")
            #expect(await failure(["response_type": "token"]) == "unsupported_response_type")
            #expect(await failure(["response_type": "code id_token"]) == "unsupported_response_type")
            #expect(await failure(["response_mode": "fragment"]) == "invalid_request")
            #expect(await failure(["scope": "openid profile"]) == "invalid_scope")
            #expect(await failure(["code_challenge": PKCE.challenge(for: OAuthFixture.verifier), "code_challenge_method": "plain"]) == "invalid_request")
            #expect(await failure(["code_challenge": PKCE.challenge(for: OAuthFixture.verifier)]) == "invalid_request", "missing method means plain")
            #expect(await failure(["prompt": "none login"]) == "invalid_request")
            #expect(await failure(["max_age": "-1"]) == "invalid_request")
            #expect(await failure(["id_token_hint": "garbage"]) == "invalid_request")
            #expect(await failure(["ui_locales": "fr", "unknown_parameter": "ignored"]) == "valid")
            #expect(await failure(["scope": "openid address phone"]) == "valid", "voluntary claims Sesame lacks are dropped")
            #expect(try await f.checks.validate(base.merging(["scope": "openid phone"]) { $1 }).scope.values == ["openid"])
            // OIDC Core §3.1.2.1: scopes Sesame does not know are ignored, not refused.
            #expect(try await f.checks.validate(base.merging(["scope": "openid api:read email"]) { $1 }).scope.values == ["openid", "email"])
        }
    }

    @Test func promptMaxAgeAndConsentDecideTheNextStep() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "third", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let base = ["client_id": client.id, "redirect_uri": "https://app.example/cb", "response_type": "code", "scope": "openid email"]
            let session = f.session()  // signed in now; the clock moves on below
            func step(_ extra: [String: String], signedIn: Bool = true) async throws -> AuthorizeStep {
                let request = try await f.checks.validate(base.merging(extra) { $1 })
                return try await f.authorization.nextStep(for: request, session: signedIn ? (f.user, session) : nil)
            }
            #expect(try await step([:], signedIn: false) == .signIn(forced: false))
            await #expect(throws: OAuthError.loginRequired) { _ = try await step(["prompt": "none"], signedIn: false) }
            #expect(try await step([:]) == .consent(scopes: ["openid", "email"]))
            await #expect(throws: OAuthError.consentRequired) { _ = try await step(["prompt": "none"]) }
            try await f.authorization.recordConsent(for: try await f.checks.validate(base), user: f.user)
            #expect(try await step([:]) == .issueCode)
            #expect(try await step(["prompt": "consent"]) == .consent(scopes: ["openid", "email"]))
            #expect(try await step(["prompt": "login"]) == .signIn(forced: true))
            f.clock.advance(120)
            #expect(try await step(["max_age": "60"]) == .signIn(forced: true))
            #expect(try await step(["max_age": "600"]) == .issueCode)
        }
    }
}

@Suite struct ClientTests {
    @Test func registrationRules() async throws {
        try await OAuthFixture.with { f in
            func refused(_ name: String, _ r: ClientRegistration) async -> Bool {
                do { _ = try await f.clients.add(name: name, r); return false } catch { return error is ClientError }
            }
            #expect(await refused("a", ClientRegistration(redirectURIs: ["https://x.example/cb#f"])))
            #expect(await refused("b", ClientRegistration(redirectURIs: ["http://x.example/cb"])))
            #expect(await refused("c", ClientRegistration(redirectURIs: ["https://x.example/cb"], grantTypes: ["password"])))
            #expect(await refused("d", ClientRegistration(redirectURIs: [])))
            #expect(await refused("e", ClientRegistration(isPublic: true, grantTypes: ["client_credentials"])))
            #expect(await refused("f", ClientRegistration(redirectURIs: ["https://x.example/cb"], tokenEndpointAuthMethod: "private_key_jwt")))
            // "Team Wiki" is a display name now (AppManagementTests); nothing to make an identifier from is refused.
            #expect(await refused("*** ***", ClientRegistration(redirectURIs: ["https://x.example/cb"])))
            let (client, secret) = try await f.clients.add(name: "ok", ClientRegistration(redirectURIs: ["https://x.example/cb"]))
            #expect(await refused("OK", ClientRegistration(redirectURIs: ["https://x.example/cb"])), "names are unique")
            #expect(Base64URL.decode(try #require(secret))?.count == 32, "256-bit secrets")
            #expect(client.secretDigest == TokenDigest.of(secret!), "stored as a digest only")
            let rotated = try await f.clients.rotateSecret(name: "ok")
            #expect(try await f.store.client(id: client.id)?.secretDigest == TokenDigest.of(rotated))
        }
    }

    /// A person could ask for sesame:admin at /authorize and use their token on the admin API.
    @Test func theAdminScopeIsOnlyForConfidentialClientCredentialsClients() async throws {
        try await OAuthFixture.with { f in
            func refusal(_ name: String, _ r: ClientRegistration) async -> String? {
                do { _ = try await f.clients.add(name: name, r); return nil } catch { return (error as? ClientError)?.message ?? "\(error)" }
            }
            #expect(await refusal("web", ClientRegistration(redirectURIs: ["https://x.example/cb"], scopes: ["openid", "sesame:admin"]))?.contains("sesame:admin") == true)
            #expect(await refusal("both", ClientRegistration(
                redirectURIs: ["https://x.example/cb"], grantTypes: ["authorization_code", "client_credentials"], scopes: ["sesame:admin"]
            ))?.contains("sesame:admin") == true)
            #expect(await refusal("spa", ClientRegistration(redirectURIs: ["https://x.example/cb"], isPublic: true, scopes: ["openid", "sesame:admin"]))?.contains("sesame:admin") == true)
            #expect(await refusal("bot", ClientRegistration(grantTypes: ["client_credentials"], scopes: ["sesame:admin"])) == nil)
            await #expect(throws: ClientError.self) {
                _ = try await f.clients.update(name: "bot", ClientRegistration(redirectURIs: ["https://x.example/cb"], grantTypes: ["authorization_code"]))
            }
        }
    }

    /// 127.evil.test is a name anyone can point anywhere, not a loopback address.
    @Test func loopbackRedirectsAreParsedAddresses() {
        #expect(RedirectURI.problem(with: "http://127.evil.test/cb") != nil)
        #expect(RedirectURI.problem(with: "http://127.0.0.1.evil.test/cb") != nil)
        #expect(RedirectURI.problem(with: "http://localhost.evil.test/cb") != nil)
        #expect(RedirectURI.problem(with: "http://127.0.0.1/cb") == nil)
        #expect(RedirectURI.problem(with: "http://127.1.2.3:8000/cb") == nil)
        #expect(RedirectURI.problem(with: "http://[::1]:8000/cb") == nil)
        #expect(RedirectURI.problem(with: "http://localhost/cb") == nil)
        #expect(!RedirectURI.matches("http://127.evil.test:5000/cb", registered: ["http://127.evil.test/cb"]))
        #expect(RedirectURI.matches("http://127.0.0.1:5000/cb", registered: ["http://127.0.0.1/cb"]))
        #expect(RedirectURI.matches("http://[::1]:5000/cb", registered: ["http://[::1]/cb"]))
    }

    @Test func errorDescriptionsHoldOnlyTheCharactersRFC6749Allows() {
        let error = OAuthError.invalidRequest("bad \"value\" \\ é \u{1}\n<b>")
        #expect(error.errorDescription == "bad ?value? ? ? ??<b>")
        #expect(!OAuthError.unsupportedGrantType("<script>alert(1)</script>").errorDescription.contains("script"))
        #expect(!OAuthError.unsupportedResponseType("\u{202E}x").errorDescription.contains("x'"))
    }

    @Test func eachClientAuthenticatesOnlyHowItRegistered() async throws {
        try await OAuthFixture.with { f in
            let (basic, basicSecret) = try await f.clients.add(name: "basic", ClientRegistration(redirectURIs: ["https://x.example/cb"]))
            let (post, postSecret) = try await f.clients.add(name: "post", ClientRegistration(redirectURIs: ["https://x.example/cb"], tokenEndpointAuthMethod: "client_secret_post"))
            let (spa, _) = try await f.clients.add(name: "spa", ClientRegistration(redirectURIs: ["https://x.example/cb"], isPublic: true))
            let auth = f.authenticator()
            #expect(try await auth.authenticate(ClientCredentials(basic: (basic.id, basicSecret!), parameters: [:])).id == basic.id)
            #expect(try await auth.authenticate(ClientCredentials(parameters: ["client_id": post.id, "client_secret": postSecret!])).id == post.id)
            #expect(try await auth.authenticate(ClientCredentials(parameters: ["client_id": spa.id])).id == spa.id)
            let refusals: [ClientCredentials] = [
                ClientCredentials(basic: (basic.id, "wrong"), parameters: [:]),
                ClientCredentials(parameters: ["client_id": basic.id, "client_secret": basicSecret!]),  // basic client using post
                ClientCredentials(basic: (post.id, postSecret!), parameters: [:]),
                ClientCredentials(parameters: ["client_id": basic.id]),  // confidential client without a secret
                ClientCredentials(parameters: [:]),
                ClientCredentials(basic: ("nobody", "x"), parameters: [:]),
            ]
            for credentials in refusals {
                await #expect(performing: { _ = try await auth.authenticate(credentials) }, throws: { ($0 as? OAuthError)?.code == "invalid_client" })
            }
        }
    }

    @Test func privateKeyJWTAssertionsAreCheckedAndUsedOnce() async throws {
        try await OAuthFixture.with { f in
            let key = P256.Signing.PrivateKey()
            let raw = Array(key.publicKey.rawRepresentation)
            let jwks = #"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"\#(Base64URL.encode(raw[0..<32]))","y":"\#(Base64URL.encode(raw[32..<64]))"}]}"#
            let (client, secret) = try await f.clients.add(name: "pkj", ClientRegistration(redirectURIs: ["https://x.example/cb"], tokenEndpointAuthMethod: "private_key_jwt", jwks: jwks))
            #expect(secret == nil)
            let signer = JWTSigningKey(kid: "k1", key: .es256(key))
            func assertion(jti: String, aud: String = "https://sesame.test/token", exp: TimeInterval = 60) throws -> ClientCredentials {
                let now = Int(f.clock.now().timeIntervalSince1970)
                let claims = #"{"iss":"\#(client.id)","sub":"\#(client.id)","aud":"\#(aud)","jti":"\#(jti)","exp":\#(now + Int(exp)),"iat":\#(now)}"#
                return ClientCredentials(parameters: [
                    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    "client_assertion": try signer.sign(payload: Array(claims.utf8), type: "JWT"),
                ])
            }
            let auth = f.authenticator()
            #expect(try await auth.authenticate(try assertion(jti: "one")).id == client.id)
            let invalidClient: @Sendable (any Error) -> Bool = { ($0 as? OAuthError)?.code == "invalid_client" }
            await #expect(performing: { _ = try await auth.authenticate(try assertion(jti: "one")) }, throws: invalidClient)
            await #expect(performing: { _ = try await auth.authenticate(try assertion(jti: "two", aud: "https://other.example")) }, throws: invalidClient)
            await #expect(performing: { _ = try await auth.authenticate(try assertion(jti: "three", exp: -5)) }, throws: invalidClient)
            let stranger = JWTSigningKey(kid: "k1", key: .es256(P256.Signing.PrivateKey()))
            let now = Int(f.clock.now().timeIntervalSince1970)
            let forged = try stranger.sign(payload: Array(#"{"iss":"\#(client.id)","sub":"\#(client.id)","aud":"https://sesame.test","jti":"four","exp":\#(now + 60)}"#.utf8), type: "JWT")
            await #expect(performing: {
                _ = try await auth.authenticate(ClientCredentials(parameters: [
                    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": forged,
                ]))
            }, throws: invalidClient)
        }
    }
}

@Suite struct SecondFactorAuthorizationTests {
    @Test func acrValuesTwoAsksForASecondFactorAndTheTokensSaySo() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"], firstParty: true))
            let request = try await f.checks.validate([
                "client_id": client.id, "redirect_uri": "https://app.example/cb", "response_type": "code", "scope": "openid", "acr_values": "2",
            ])
            #expect(request.requireMultiFactor)
            #expect(try await f.authorization.nextStep(for: request, session: (f.user, f.session())) == .secondFactor)
            var strong = f.session()
            strong.authMethods = ["pwd", "otp", "mfa"]
            #expect(try await f.authorization.nextStep(for: request, session: (f.user, strong)) == .issueCode)

            let code = try await f.authorization.issueCode(for: request, user: f.user, session: strong)
            let tokens = try await f.redeem(code, client: client, verifier: nil)
            let idToken = try #require(VerifiedJWT.verify(tokens.id_token!, keys: f.keys.current.verificationKeys))
            #expect(idToken.claims["amr"]?.strings == ["pwd", "otp", "mfa"])
            #expect(idToken.string("acr") == "2")

            let weak = try await f.redeem(try await f.code(for: client), client: client)
            let weakToken = try #require(VerifiedJWT.verify(weak.id_token!, keys: f.keys.current.verificationKeys))
            #expect(weakToken.claims["amr"]?.strings == ["pwd"])
            #expect(weakToken.string("acr") == "1")
        }
    }
}

@Suite struct IntrospectionTests {
    /// Only resource servers and the token's own client learn who is behind an access token;
    /// refresh tokens only by their own client. Others see `active: false`.
    @Test func introspectionIsForResourceServersAndTheTokensOwnClient() async throws {
        try await OAuthFixture.with { f in
            let (app, _) = try await f.clients.add(name: "app", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let (other, _) = try await f.clients.add(name: "other", ClientRegistration(redirectURIs: ["https://other.example/cb"]))
            var api = ClientRegistration(grantTypes: ["client_credentials"], scopes: [])
            api.resourceServer = true
            let (resourceServer, _) = try await f.clients.add(name: "api", api)
            #expect(try await f.store.client(id: resourceServer.id)?.resourceServer == true, "stored")
            var spa = ClientRegistration(redirectURIs: ["https://x.example/cb"], isPublic: true)
            spa.resourceServer = true
            await #expect(throws: ClientError.self) { _ = try await f.clients.add(name: "spa", spa) }

            let tokens = try await f.redeem(try await f.code(for: app), client: app)
            let validator = AccessTokenValidator(keys: f.keys, tokens: f.store, issuer: f.settings.issuer, clock: f.clock)
            let introspection = TokenIntrospection(validator: validator, tokens: f.store, users: f.store, issuer: f.settings.issuer, clock: f.clock)
            #expect(try await introspection.introspect(tokens.access_token, by: other) == .inactive)
            #expect(try await introspection.introspect(tokens.access_token, by: resourceServer).username == "uma")
            #expect(try await introspection.introspect(tokens.access_token, by: app).active)
            #expect(try await introspection.introspect(tokens.refresh_token!, by: other) == .inactive)
            #expect(try await introspection.introspect(tokens.refresh_token!, by: resourceServer) == .inactive)
            #expect(try await introspection.introspect(tokens.refresh_token!, by: app).token_type == "refresh_token")

            // Revoking another client's token is refused, and leaves it alone (RFC 7009 §2.1).
            await #expect(performing: { try await introspection.revoke(tokens.refresh_token!, by: other) },
                          throws: { ($0 as? OAuthError)?.code == "unauthorized_client" })
            await #expect(performing: { try await introspection.revoke(tokens.access_token, by: other) },
                          throws: { ($0 as? OAuthError)?.code == "unauthorized_client" })
            #expect(try await introspection.introspect(tokens.refresh_token!, by: app).active)
            try await introspection.revoke("unknown-token", by: other)  // unknown tokens: no error (§2.2)
        }
    }
}

@Suite struct ClientAuthenticationBoundsTests {
    /// A 60 KB client_id is refused before any lookup, and the audit log keeps no copy of it.
    @Test func anOversizedClientIDIsRefusedAndNotStored() async throws {
        try await OAuthFixture.with { f in
            let audit = AuditTrail(store: f.store, clock: f.clock)
            let endpoint = TokenEndpoint(authenticator: f.authenticator(), grants: [], audit: audit)
            let huge = String(repeating: "x", count: 60_000)
            for credentials in [ClientCredentials(basic: (huge, "s"), parameters: [:]), ClientCredentials(parameters: ["client_id": huge, "client_secret": "s"])] {
                await #expect(performing: { _ = try await endpoint.authenticate(credentials, address: "192.0.2.1") },
                              throws: { ($0 as? OAuthError)?.code == "invalid_client" })
            }
            try await audit.flush()
            let events = try await f.store.auditEvents(AuditQuery(type: "client.authentication_failed"))
            #expect(events.count == 2)
            #expect(events.allSatisfy { ($0.event.clientID ?? "").utf8.count <= 255 && ($0.event.detail ?? "").utf8.count <= 300 })
        }
    }
}

@Suite struct ClientAuthenticationThrottleTests {
    /// Guessing a client secret from one address stops after 20 failures, for that address only,
    /// and a throttled attempt is refused without an audit row.
    @Test func failedClientAuthenticationsAreThrottledPerAddress() async throws {
        try await OAuthFixture.with { f in
            let (client, secret) = try await f.clients.add(name: "bot", ClientRegistration(grantTypes: ["client_credentials"], scopes: []))
            let audit = AuditTrail(store: f.store, clock: f.clock)
            let endpoint = TokenEndpoint(authenticator: f.authenticator(), grants: [], audit: audit, throttle: f.store, clock: f.clock)
            let wrong = ClientCredentials(basic: (client.id, "wrong"), parameters: [:])
            let right = ClientCredentials(basic: (client.id, secret!), parameters: [:])
            func status(_ credentials: ClientCredentials, from address: String) async -> Int {
                do { _ = try await endpoint.authenticate(credentials, address: address); return 200 } catch { return (error as? OAuthError)?.status ?? 0 }
            }
            for _ in 0..<20 { #expect(await status(wrong, from: "192.0.2.7") == 401) }
            #expect(await status(right, from: "192.0.2.7") == 429, "even the right secret waits")
            await #expect(performing: { _ = try await endpoint.authenticate(right, address: "192.0.2.7") },
                          throws: { ($0 as? OAuthError)?.retryAfter == 1 })
            #expect(await status(wrong, from: "192.0.2.7") == 429)
            #expect(await status(right, from: "192.0.2.8") == 200, "other addresses are not held back")
            try await audit.flush()
            #expect(try await f.store.auditEvents(AuditQuery(type: "client.authentication_failed", limit: 100)).count == 20)
            f.clock.advance(16 * 60)
            #expect(await status(right, from: "192.0.2.7") == 200, "forgotten after a quiet quarter of an hour")
        }
    }
}

/// Introspection remembers tokens whose signature it checked (issue: faster token paths); what
/// the signature no longer vouches for must still be refused every time.
@Suite struct VerifiedTokenCacheTests {
    @Test func aRememberedTokenIsStillCheckedForExpiryRevocationAndItsKey() async throws {
        try await OAuthFixture.with { f in
            let (client, _) = try await f.clients.add(name: "web", ClientRegistration(redirectURIs: ["https://app.example/cb"]))
            let validator = AccessTokenValidator(keys: f.keys, tokens: f.store, issuer: f.settings.issuer, clock: f.clock)
            let first = try await f.redeem(try await f.code(for: client), client: client)
            #expect(try await validator.validate(first.access_token)?.subject == f.user.id)
            #expect(try await validator.validate(first.access_token)?.subject == f.user.id, "remembered")

            // Revoked after it was remembered.
            let revokedAt = f.clock.now()
            try await f.store.revokeAccessToken(jti: try #require(try await validator.validate(first.access_token)).jti, expiresAt: revokedAt.addingTimeInterval(600), at: revokedAt)
            #expect(try await validator.validate(first.access_token) == nil)

            // Expired after it was remembered.
            let second = try await f.redeem(try await f.code(for: client), client: client)
            #expect(try await validator.validate(second.access_token) != nil)
            f.clock.advance(f.settings.accessTokenLifetime + 1)
            #expect(try await validator.validate(second.access_token) == nil)

            // The same text in other bytes: U+212A KELVIN SIGN is canonically equivalent to "K",
            // so Swift string equality would take it for the token; the cache must not.
            var third = try await f.redeem(try await f.code(for: client), client: client)
            while !third.access_token.contains("K") { third = try await f.redeem(try await f.code(for: client), client: client) }
            #expect(try await validator.validate(third.access_token) != nil)
            let k = try #require(third.access_token.firstIndex(of: "K"))
            var lookalike = third.access_token
            lookalike.replaceSubrange(k...k, with: "\u{212A}")
            #expect(lookalike == third.access_token, "Swift compares them equal")
            #expect(try await validator.validate(lookalike) == nil, "but the bytes differ")

            // Its key withdrawn: a key set without it no longer vouches for the token.
            let withoutKeys = KeySet(signers: f.keys.current.signers, publicJWKs: [])
            let original = f.keys.current
            f.keys.replace(with: withoutKeys)
            #expect(try await validator.validate(third.access_token) == nil)
            f.keys.replace(with: original)
            #expect(try await validator.validate(third.access_token) != nil)
        }
    }
}
