import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What `/login` echoes from a link (`login_hint`, `return_to`), and where it sends a person after.
@Suite struct LoginPageTests {
    /// The bytes that open or close markup, counted, so that a value cannot add any.
    static func markupBytes(_ html: String) -> [UInt8: Int] {
        var counts: [UInt8: Int] = [:]
        for byte in html.utf8 where [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(byte) {
            counts[byte, default: 0] += 1
        }
        return counts
    }

    static func usernameValue(_ html: String) -> String? {
        guard let range = html.range(of: #"name="username" type="text""#) else { return nil }
        let rest = html[range.upperBound...]
        guard let start = rest.range(of: #"value=""#) else { return nil }
        return String(String.UnicodeScalarView(rest[start.upperBound...].unicodeScalars.prefix { $0 != "\"" }))
    }

    // A `"` or `>` and a combining mark (U+0301) are one Character: the old escaper let them through,
    // and the hint's attributes became the form's (`formaction` would post the password elsewhere).
    @Test(arguments: ["%22%CC%81%20formaction=https://evil.test/%20x=%22", "%3E%CC%81%3Cmeta%20http-equiv=refresh%20content=0;url=https://evil.test%3E"])
    func aLoginHintIsShownEscaped(hint: String) async throws {
        try await withServer { client, _ in
            let plain = try await client.execute(uri: "/login?login_hint=alice", method: .get)
            let hostile = try await client.execute(uri: "/login?login_hint=" + hint, method: .get)
            #expect(hostile.status == .ok)
            #expect(Self.markupBytes(hostile.bodyText) == Self.markupBytes(plain.bodyText))
            let shown = try #require(Self.usernameValue(hostile.bodyText))
            #expect(shown.hasPrefix("&quot;\u{301}") || shown.hasPrefix("&gt;\u{301}&lt;meta"))
        }
    }

    // Control and format characters (U+0600 is a "prepend" format character), or a hint longer
    // than any username, only prefill nothing.
    @Test(arguments: ["%D8%80%3Cmeta", "a%09b", "a%0Ab", "a%E2%80%AEb", "a%00b", String(repeating: "a", count: 257)])
    func anUnacceptableLoginHintIsDropped(hint: String) async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/login?login_hint=" + hint, method: .get)
            #expect(response.status == .ok)
            #expect(Self.usernameValue(response.bodyText) == "")
        }
    }

    @Test func anOrdinaryLoginHintPrefillsTheForm() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/login?login_hint=ren%C3%A9e%40example.com", method: .get)
            #expect(Self.usernameValue(response.bodyText) == "ren\u{E9}e@example.com")
        }
    }

    @Test func aReturnToIsShownEscaped() async throws {
        try await withServer { client, _ in
            let plain = try await client.execute(uri: "/login?return_to=%2Fx", method: .get)
            let hostile = try await client.execute(uri: "/login?return_to=%2Fx%22%3E%3Cmeta/http-equiv=refresh/content=0%3E", method: .get)
            #expect(Self.markupBytes(hostile.bodyText) == Self.markupBytes(plain.bodyText))
            #expect(hostile.bodyText.contains(#"name="return_to" value="/x&quot;&gt;&lt;meta"#))
        }
    }

    /// `//` + U+034F is `/` and one more Character: the old check let it through, and Chromium
    /// drops the mark and goes to the other host.
    @Test(arguments: ["%2F%2F%CD%8Fevil.test", "%2F%CD%8F%2Fevil.test", "%2F%09%2Fevil.test", "%2F%5Cevil.test"])
    func aSignedInPersonIsNotSentAway(returnTo: String) async throws {
        try await withServer { client, _ in
            var browser = Browser()
            _ = try await browser.signIn(client, "alice", "right-password")
            let response = try await browser.get(client, "/login?return_to=" + returnTo)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/account")
        }
    }

    @Test(arguments: ["//\u{34F}evil.test", "/\t/evil.test"])
    func aPostedReturnToIsCheckedTheSameWay(returnTo: String) async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let response = try await browser.signIn(client, "alice", "right-password", returnTo: returnTo)
            #expect(response.headers[.location] == "/account")
        }
    }

    /// Some client frameworks make a `state` of a few kilobytes; the way back to /authorize must
    /// keep it (it used to be dropped past 2048 characters, and the person landed on /account).
    @Test func aLongAuthorizationRequestSurvivesTheSignIn() async throws {
        let state = String(repeating: "Ab0-_", count: 800)
        let back = "/authorize?client_id=app&redirect_uri=https%3A%2F%2Fapp.example.test%2Fcb&response_type=code&state=" + state
        try await withServer { client, _ in
            var browser = Browser()
            let page = try await browser.get(client, "/login?reauth=1&return_to=" + formEncode(back))
            // The form carries it, whole...
            #expect(page.bodyText.contains(#"name="return_to" value=""# + back.replacingOccurrences(of: "&", with: "&amp;") + "\""))
            // ...and the sign-in goes there.
            let response = try await browser.post(client, "/login", form: [
                "csrf_token": csrfToken(in: page.bodyText), "username": "alice", "password": "right-password", "return_to": back,
            ])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == back)
        }
    }

    @Test func aReturnToStaysBounded() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let response = try await browser.signIn(client, "alice", "right-password", returnTo: "/" + String(repeating: "a", count: 17_000))
            #expect(response.headers[.location] == "/account")
        }
    }

    /// Forms post only to Sesame; the sign-in page's answer may redirect on only to where Sesame
    /// itself sends the person (nowhere else here: this server has no OAuth or CAS).
    @Test func formsPostOnlyToSesameWhereTheFlowAllows() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            for path in ["/login", "/login?return_to=%2Faccount", "/login?return_to=%2Fauthorize%3Fredirect_uri%3Dhttps%3A%2F%2Fevil.test%2F"] {
                let login = try await browser.get(client, path)
                let loginPolicy = try #require(login.headers[.contentSecurityPolicy])
                #expect(loginPolicy.contains("form-action 'self';"))
                #expect(loginPolicy.contains("default-src 'none'"))
            }
            _ = try await browser.signIn(client, "alice", "right-password")
            let account = try await browser.get(client, "/account")
            #expect(account.headers[.contentSecurityPolicy]?.contains("form-action 'self';") == true)
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.headers[.contentSecurityPolicy]?.contains("form-action 'self';") == true)
        }
    }
}
