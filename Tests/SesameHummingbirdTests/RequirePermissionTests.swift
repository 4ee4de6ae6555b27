import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SesameClient
import SesameHummingbird
import Testing

/// The middleware's answers, with a fake signed-in person (no Sesame running).
@Suite struct RequirePermissionTests {
    struct NoKeys: JWKSSource {
        func fetch() async throws -> (json: String, maxAge: TimeInterval?) { (#"{"keys":[]}"#, nil) }
    }

    static let web = SesameWeb(
        settings: SesameAppSettings(issuer: "https://login.example", clientID: "docs", clientSecret: "s", appURL: "http://127.0.0.1:9",
                                    cookieSecret: Array(repeating: 7, count: 32), trustedProxies: ["127.0.0.1"]),
        metadata: DiscoveryDocument(issuer: "https://login.example"),
        keys: JWKSCache(source: NoKeys())
    )

    func app(as user: SesameUser?) -> some ApplicationProtocol {
        // scripts/test sets it for the whole test process; setenv while another test spawns a
        // process races with that process reading the environment, so only when it is missing.
        if getenv("SESAME_TESTING") == nil { setenv("SESAME_TESTING", "1", 1) }
        let router = Router(context: SesameAppContext.self)
        router.add(middleware: SesameTesting.signIn(user))
        router.group("/editors").add(middleware: Self.web.require(.hasRole("editor"))).get { _, _ in "drafts" }
        router.group("/office").add(middleware: Self.web.require(.fromIP(["10.0.0.0/8"]))).get { _, _ in "inside" }
        router.get("/check") { request, context in Self.web.allows(.inGroup("staff"), request: request, context: context) ? "yes" : "no" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func signedInWithTheRoleGetsIn() async throws {
        try await app(as: SesameUser(subject: "u1", roles: ["editor"], groups: ["staff"])).test(.router) { client in
            try await client.execute(uri: "/editors", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/check", method: .get) { #expect(String(buffer: $0.body) == "yes") }
        }
    }

    @Test func signedInWithoutTheRoleIs403() async throws {
        try await app(as: SesameUser(subject: "u2", roles: ["writer"])).test(.router) { client in
            try await client.execute(uri: "/editors", method: .get) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/check", method: .get) { #expect(String(buffer: $0.body) == "no") }
        }
    }

    @Test func nobodySignedInIsSentToSignInOrGets401() async throws {
        try await app(as: nil).test(.router) { client in
            try await client.execute(uri: "/editors?tab=2", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?return_to=%2Feditors%3Ftab%3D2")
            }
            try await client.execute(uri: "/editors", method: .get, headers: [.accept: "application/json"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="sesame""#)
            }
        }
    }

    @Test func addressRulesSeeThroughTrustedProxiesOnly() async throws {
        try await app(as: nil).test(.live) { client in
            // The peer (127.0.0.1) is a trusted proxy: the forwarded address counts.
            try await client.execute(uri: "/office", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "10.1.2.3"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/office", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "10.9.9.9, 192.0.2.1"]) {
                #expect($0.status == .forbidden, "the client wrote the left hop itself")
            }
            try await client.execute(uri: "/office", method: .get) { #expect($0.status == .forbidden) }
        }
    }
}
