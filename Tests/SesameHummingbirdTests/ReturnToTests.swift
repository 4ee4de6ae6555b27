import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SesameClient
@testable import SesameHummingbird
import Testing

/// The toolkit's `/login?return_to=`: only a path on the app is kept for after the sign-in.
@Suite struct ReturnToTests {
    struct NoKeys: JWKSSource {
        func fetch() async throws -> (json: String, maxAge: TimeInterval?) { (#"{"keys":[]}"#, nil) }
    }

    static let web = SesameWeb(
        settings: SesameAppSettings(issuer: "https://login.example", clientID: "docs", clientSecret: "s", appURL: "http://127.0.0.1:9",
                                    cookieSecret: Array(repeating: 7, count: 32)),
        metadata: DiscoveryDocument(issuer: "https://login.example"),
        keys: JWKSCache(source: NoKeys())
    )

    /// What `/login` kept as the place to come back to, read from its sealed pending cookie.
    func keptReturnTo(_ query: String) async throws -> String? {
        let router = Router(context: SesameAppContext.self)
        Self.web.addRoutes(to: router)
        let cookies = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/login?return_to=" + query, method: .get).headers[values: .setCookie]
        }
        let cookie = cookies.first { $0.hasPrefix(Self.web.pendingCookie + "=") }
        let value = cookie.map { String($0.dropFirst(Self.web.pendingCookie.count + 1).prefix { $0 != ";" }) }
        return Self.web.cookies.open(value, as: CodeFlow.Pending.self, name: Self.web.pendingCookie)?.returnTo
    }

    // Tab, newline and combining grapheme joiner (U+034F) are dropped by browsers, `\` read as `/`.
    @Test(arguments: ["/%09/evil.test", "/%0A/evil.test", "//%CD%8Fevil.test", "/%5Cevil.test", "/%5C/evil.test", "%2F%2Fevil.test",
                      "/ok%5C..%5C", "https%3A%2F%2Fevil.test"])
    func anythingABrowserCouldReadAsAnotherHostBecomesTheRoot(query: String) async throws {
        #expect(try await keptReturnTo(query) == "/")
    }

    @Test func aLocalPathIsKept() async throws {
        #expect(try await keptReturnTo("%2Fdocs%3Fpage%3D2") == "/docs?page=2")
    }

    @Test func theCheckIsOnBytesNotCharacters() {
        #expect(SesameWeb.localPath("/\u{34F}/evil.test") == "/")
        #expect(SesameWeb.localPath("/\t/evil.test") == "/")
        #expect(SesameWeb.localPath("/caf\u{E9}") == "/")
        #expect(SesameWeb.localPath("/" + String(repeating: "a", count: 20_000)) == "/")
    }
}
