import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SesameCore
import SesameSQL
import Testing

@testable import SesameServer

/// Every row of the sign-in policy, asked through `/authorize` and through `/cas/login` with the
/// same cases: the two doors must give the same answer, each in its own protocol.
@Suite struct SignInPolicyServerTests {
    enum Door: String, Sendable { case oidc, cas }

    enum SessionKind: Sendable {
        case none, oneFactor, twoFactor
        /// One factor, signed in an hour ago.
        case hourOld
    }

    /// One request, in protocol-neutral terms, and what the policy must answer.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var door: Door = .oidc
        var session: SessionKind = .oneFactor
        /// prompt=login, CAS renew.
        var forced = false
        /// The request comes back from the sign-in it asked for (the server's marker).
        var comesBack = false
        var maxAge: Int?
        var hintsSomeoneElse = false
        var stepUp = false
        /// prompt=none, CAS gateway.
        var silent = false
        var restricted = false
        var appRequiresSecondFactor = false, userRequiresSecondFactor = false, roleRequiresSecondFactor = false
        var expected: SignInPolicyOutcome

        var testDescription: String { "\(door.rawValue): \(name)" }

        /// CAS has no `max_age`, `id_token_hint` or `acr_values`: those rows are OIDC's alone.
        var expressible: Bool { door == .oidc || (maxAge == nil && !hintsSomeoneElse && !stepUp) }
    }

    static let rows: [Case] = [
        Case(name: "signed in, nothing asked", expected: .proceed),
        Case(name: "nobody signed in", session: .none, expected: .signIn(.noSession)),
        Case(name: "nobody signed in, silent", session: .none, silent: true, expected: .silentFailure(.noSession)),
        Case(name: "fresh sign-in asked", forced: true, expected: .signIn(.freshSignInAsked)),
        Case(name: "fresh sign-in asked, back from it", forced: true, comesBack: true, expected: .proceed),
        Case(name: "max_age exceeded", session: .hourOld, maxAge: 60, expected: .signIn(.maxAgeExceeded)),
        Case(name: "max_age exceeded, silent", session: .hourOld, maxAge: 60, silent: true, expected: .silentFailure(.maxAgeExceeded)),
        Case(name: "max_age met", session: .hourOld, maxAge: 7200, expected: .proceed),
        Case(name: "hint names someone else", hintsSomeoneElse: true, expected: .signIn(.otherSubjectHinted)),
        Case(name: "hint names someone else, back from the sign-in", comesBack: true, hintsSomeoneElse: true, expected: .proceed),
        Case(name: "app restricted", restricted: true, expected: .refuse(.appRestricted)),
        Case(name: "app restricted, silent", silent: true, restricted: true, expected: .refuse(.appRestricted)),
        Case(name: "second factor required by the app", appRequiresSecondFactor: true, expected: .signIn(.secondFactorRequired)),
        Case(name: "second factor required by the person", userRequiresSecondFactor: true, expected: .signIn(.secondFactorRequired)),
        Case(name: "second factor required by a role", roleRequiresSecondFactor: true, expected: .signIn(.secondFactorRequired)),
        Case(name: "second factor required, silent", silent: true, userRequiresSecondFactor: true, expected: .silentFailure(.secondFactorRequired)),
        Case(
            name: "second factor required and done", session: .twoFactor, appRequiresSecondFactor: true, userRequiresSecondFactor: true,
            roleRequiresSecondFactor: true, expected: .proceed
        ),
        Case(name: "acr_values=2 steps up", stepUp: true, expected: .signIn(.stepUpAsked)),
        Case(name: "acr_values=2 steps up, silent", stepUp: true, silent: true, expected: .silentFailure(.stepUpAsked)),
        Case(name: "acr_values=2 met", session: .twoFactor, stepUp: true, expected: .proceed),
    ]

    static let cases: [Case] = rows.flatMap { row in
        [Door.oidc, .cas].map { door in
            var c = row
            c.door = door
            return c
        }.filter(\.expressible)
    }

    static let redirectURI = "https://app.example/cb"
    static let service = "https://app.example/cas/"

    /// What a browser sees, whichever the door.
    enum Seen: Equatable {
        case proceeds, signsIn(secondFactor: Bool), refused, silentlyBack

        init(_ outcome: SignInPolicyOutcome) {
            switch outcome {
            case .proceed: self = .proceeds
            case .signIn(let reason): self = .signsIn(secondFactor: reason.asksSecondFactor)
            case .refuse: self = .refused
            case .silentFailure: self = .silentlyBack
            }
        }

        init?(_ door: Door, _ response: TestResponse) {
            let location = response.headers[.location] ?? ""
            if location.hasPrefix("/login?reauth=1&") {
                self = .signsIn(secondFactor: location.contains("&mfa=1"))
                return
            }
            switch door {
            case .oidc where location.hasPrefix(SignInPolicyServerTests.redirectURI + "?code="): self = .proceeds
            case .oidc where location.hasPrefix(SignInPolicyServerTests.redirectURI + "?error=access_denied&"): self = .refused
            case .oidc where location.hasPrefix(SignInPolicyServerTests.redirectURI + "?error=login_required&"): self = .silentlyBack
            case .cas where location.hasPrefix(SignInPolicyServerTests.service + "?ticket=ST-"): self = .proceeds
            case .cas where response.status == .forbidden: self = .refused
            case .cas where location == SignInPolicyServerTests.service: self = .silentlyBack
            default: return nil
            }
        }
    }

    @Test(arguments: cases)
    func bothDoorsAnswerAsThePolicyDoes(_ c: Case) async throws {
        try await OAuthServer.with(configure: Self.addCASAndSecondFactor) { client, server in
            let store = server.store
            var webClient = Client(
                id: "id-web", name: "web", secretDigest: TokenDigest.of("secret-web"), redirectURIs: [Self.redirectURI], grantTypes: [.authorizationCode],
                scopes: ["openid"], tokenEndpointAuthMethod: .clientSecretBasic, firstParty: true, createdAt: Date()
            )
            var casService = CASService(id: "cas-app", name: "app", pattern: Self.service, requireTwoFactor: c.appRequiresSecondFactor, createdAt: Date())
            webClient.requireTwoFactor = c.appRequiresSecondFactor
            if c.restricted {
                webClient.requiredRoles = ["admin"]
                casService.requiredRoles = ["admin"]
            }
            try await store.insert(webClient)
            try await store.insert(casService)
            if c.userRequiresSecondFactor { try await store.setTwoFactorRequired(userID: server.alice.id, true) }
            if c.roleRequiresSecondFactor {
                try await store.insert(Role(name: "ops", createdAt: Date()))
                try await store.setRole("ops", userID: server.alice.id, granted: true)
                try await store.setTwoFactorRequired(role: "ops", true)
            }

            var browser = Browser()
            _ = try await browser.get(client, "/login")  // a CSRF secret, as a browser that has seen Sesame has
            if let cookie = try await Self.session(c.session, for: server) { browser.cookies["sesame_session"] = cookie }

            var response = try await browser.get(client, try Self.uri(c, server: server, client: webClient))
            if c.comesBack {
                // Signed in again as asked: back to the same request, carrying the server's marker.
                let location = try #require(response.headers[.location])
                let returnTo = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "return_to" }?.value)
                browser.cookies["sesame_session"] = try #require(try await Self.session(.oneFactor, for: server))
                response = try await browser.get(client, returnTo)
            }
            #expect(Seen(c.door, response) == Seen(c.expected), "\(response.status) \(response.headers[.location] ?? "")")
        }
    }

    /// CAS 3.0 §2.1.1 leaves renew with gateway undefined and recommends that renew win: a
    /// sign-in is asked for, signed in or not (a silent return used to win without a session).
    @Test func casRenewWithGatewayAsksForASignIn() async throws {
        try await OAuthServer.with(configure: Self.addCASAndSecondFactor) { client, server in
            try await server.store.insert(CASService(id: "cas-app", name: "app", pattern: Self.service, createdAt: Date()))
            var browser = Browser()
            let uri = "/cas/login?service=\(formEncode(Self.service))&renew=true&gateway=true"
            #expect(Seen(.cas, try await browser.get(client, uri)) == .signsIn(secondFactor: false))
            browser.cookies["sesame_session"] = try await Self.session(.oneFactor, for: server)
            #expect(Seen(.cas, try await browser.get(client, uri)) == .signsIn(secondFactor: false))
        }
    }

    static func uri(_ c: Case, server: OAuthServer, client: Client) async throws -> String {
        var query: [(String, String)]
        switch c.door {
        case .oidc:
            query = [("client_id", client.id), ("response_type", "code"), ("redirect_uri", redirectURI), ("scope", "openid"), ("state", "s")]
            if c.forced { query.append(("prompt", "login")) }
            if c.silent { query.append(("prompt", "none")) }
            if let maxAge = c.maxAge { query.append(("max_age", String(maxAge))) }
            if c.stepUp { query.append(("acr_values", "2")) }
            if c.hintsSomeoneElse {
                let bob = User(id: "u-bob", username: "bob", email: nil, name: nil, passwordHash: "unused", createdAt: Date(), updatedAt: Date())
                let tokens = try await server.tokenIssuer.issue(to: client, TokenGrantContext(user: bob, scope: Scope("openid"), familyID: "f", includeRefreshToken: false))
                query.append(("id_token_hint", try #require(tokens.id_token)))
            }
            return "/authorize?" + query.map { "\($0.0)=\(formEncode($0.1))" }.joined(separator: "&")
        case .cas:
            query = [("service", service)]
            if c.forced { query.append(("renew", "true")) }
            if c.silent { query.append(("gateway", "true")) }
            return "/cas/login?" + query.map { "\($0.0)=\(formEncode($0.1))" }.joined(separator: "&")
        }
    }

    /// A session cookie for alice of this kind, made in the store (how she signed in is not the point here).
    static func session(_ kind: SessionKind, for server: OAuthServer) async throws -> String? {
        let sessions = server.dependencies.sessions
        switch kind {
        case .none:
            return nil
        case .oneFactor:
            return try await sessions.start(userID: server.alice.id, authMethods: ["pwd"]).cookieValue
        case .twoFactor:
            return try await sessions.start(userID: server.alice.id, authMethods: ["pwd", "otp", "mfa"]).cookieValue
        case .hourOld:
            let value = "hour-old-session-\(UUID().uuidString)"
            let now = Date()
            try await server.store.insert(SessionRecord(
                idDigest: TokenDigest.of(value), userID: server.alice.id, createdAt: now.addingTimeInterval(-3600), lastSeenAt: now,
                authenticatedAt: now.addingTimeInterval(-3600)
            ))
            return value
        }
    }

    /// The CAS server and a second factor, wired as `sesame serve` wires them.
    @Sendable static func addCASAndSecondFactor(_ dependencies: inout ServerDependencies, _ store: SQLStore) {
        let audit = dependencies.audit!
        let twoFactor = TwoFactorService(store: store, throttle: store, dataKey: DataKey(bytes: Array(repeating: 3, count: 32))!, issuer: "Sesame")
        dependencies.twoFactor = TwoFactorDependencies(service: twoFactor, transactions: SignInTransactions(store: store), audit: audit)
        dependencies.oauth!.authorization = AuthorizationService(
            codes: store, consents: store, settings: TokenSettings(issuer: OAuthServer.issuer), twoFactor: twoFactor
        )
        let tickets = CASTickets(store: store, users: store, sealer: DataKey(bytes: Array(repeating: 4, count: 32))!.sealer)
        dependencies.cas = CASDependencies(tickets: tickets, singleLogout: SingleLogout(tickets: tickets, logger: Logger(label: "test")), audit: audit)
    }
}
