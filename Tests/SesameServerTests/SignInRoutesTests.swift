import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import SesameCore
import SesameSQL

@Suite struct SignInRoutesTests {
    static let hsts = HTTPField.Name("Strict-Transport-Security")!

    @Test func signInShowsTheAccountAndSignOutEndsTheSession() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let signedIn = try await browser.signIn(client, "alice", "right-password")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/account")
            let sessionCookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("sesame_session=") })
            #expect(sessionCookie.contains("HttpOnly"))
            #expect(sessionCookie.contains("SameSite=Lax"))
            #expect(!sessionCookie.contains("Secure"))

            let account = try await browser.get(client, "/account")
            #expect(account.status == .ok)
            #expect(account.bodyText.contains(#"<dd id="username">alice</dd>"#))
            #expect(account.bodyText.contains(#"<dd id="email">alice@example.com</dd>"#))
            let oldSession = browser.cookies["sesame_session"]

            let out = try await browser.post(client, "/logout", form: ["csrf_token": csrfToken(in: account.bodyText)])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/login")
            #expect(browser.cookies["sesame_session"] == nil)
            let after = try await browser.get(client, "/account")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/login?return_to=%2Faccount")

            // The old cookie, replayed, is dead on the server too.
            browser.cookies["sesame_session"] = oldSession
            #expect(try await browser.get(client, "/account").status == .seeOther)
        }
    }

    @Test func httpsIssuerMakesCookiesSecure() async throws {
        try await withServer(issuer: "https://login.example.com") { client, _ in
            var browser = Browser()
            let page = try await browser.get(client, "/login")
            let response = try await browser.signIn(client, "alice@example.com", "right-password")
            let cookies = page.headers[values: .setCookie] + response.headers[values: .setCookie]
            // Named, so that an empty list or a renamed cookie cannot pass.
            let names = Set(cookies.map { String($0.prefix { $0 != "=" }) })
            #expect(names == ["__Host-sesame_csrf", "__Host-sesame_session"])
            for cookie in cookies {
                let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                #expect(attributes.contains("secure") && attributes.contains("httponly") && attributes.contains("path=/"))
                #expect(!attributes.contains { $0.hasPrefix("domain=") })
            }
        }
    }

    /// `__Host-` cookies can only be set by this host over https: a cookie of the plain name, which
    /// a sibling subdomain could plant, is neither a session nor a CSRF secret on an https issuer.
    @Test func httpsIssuerReadsOnlyItsHostCookies() async throws {
        try await withServer(issuer: "https://login.example.com") { client, _ in
            var browser = Browser()
            #expect(try await browser.signIn(client, "alice", "right-password").status == .seeOther)
            #expect(try await browser.get(client, "/account").status == .ok)
            #expect(browser.cookies["__Host-sesame_session"] != nil && browser.cookies["__Host-sesame_csrf"] != nil)

            var planted = Browser()
            planted.cookies["sesame_session"] = browser.cookies["__Host-sesame_session"]
            #expect(try await planted.get(client, "/account").status == .seeOther)

            // A CSRF secret planted under the plain name: the token made for it does not count.
            var victim = Browser()
            victim.cookies["sesame_csrf"] = browser.cookies["__Host-sesame_csrf"]
            let attackerPage = try await browser.get(client, "/account")
            let forged = try await victim.post(client, "/login", form: [
                "csrf_token": csrfToken(in: attackerPage.bodyText), "username": "alice", "password": "right-password",
            ])
            #expect(forged.status == .forbidden)
        }
    }

    @Test func httpIssuerKeepsPlainCookieNamesAndSendsNoHSTS() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let page = try await browser.get(client, "/login")
            #expect(page.headers[Self.hsts] == nil)
            let response = try await browser.signIn(client, "alice", "right-password")
            #expect(response.headers[Self.hsts] == nil)
            let names = Set((page.headers[values: .setCookie] + response.headers[values: .setCookie]).map { String($0.prefix { $0 != "=" }) })
            #expect(names == ["sesame_csrf", "sesame_session"])
        }
    }

    @Test func httpsIssuerSendsHSTS() async throws {
        try await withServer(issuer: "https://login.example.com") { client, _ in
            for path in ["/login", "/account", "/nowhere"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.headers[Self.hsts] == "max-age=31536000")
            }
        }
    }

    @Test(arguments: ["/login", "/login?return_to=%2Faccount", "/nowhere"])
    func pagesAreNeverCached(path: String) async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test func theAccountPageIsNotCachedEither() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            _ = try await browser.signIn(client, "alice", "right-password")
            let account = try await browser.get(client, "/account")
            #expect(account.status == .ok)
            #expect(account.headers[.cacheControl] == "no-store")
        }
    }

    @Test func wrongPasswordAndUnknownUserGetTheSameGenericAnswer() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let wrong = try await browser.signIn(client, "alice", "wrong")
            let unknown = try await browser.signIn(client, "mallory", "right-password")
            for response in [wrong, unknown] {
                #expect(response.status == .unauthorized)
                #expect(response.bodyText.contains(#"<p class="error" role="alert">Incorrect username or password.</p>"#))
                #expect(response.headers[.setCookie]?.contains("sesame_session") != true)
            }
        }
    }

    @Test func repeatedFailuresAreThrottledWithRetryAfter() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            for _ in 1...5 { #expect(try await browser.signIn(client, "alice", "wrong").status == .unauthorized) }
            let throttled = try await browser.signIn(client, "alice", "right-password")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] == "1")
            #expect(throttled.bodyText.contains("Too many failed sign-ins. Try again later."))
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await browser.signIn(client, "alice", "right-password").status == .seeOther)
        }
    }

    @Test(arguments: ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])
    func returnToMustBeLocal(target: String) async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let response = try await browser.signIn(client, "alice", "right-password", returnTo: target)
            #expect(response.headers[.location] == "/account")
        }
    }

    @Test func returnToALocalPathIsHonoured() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            let response = try await browser.signIn(client, "alice", "right-password", returnTo: "/account?tab=1")
            #expect(response.headers[.location] == "/account?tab=1")
        }
    }

    @Test func formsWithoutAValidCSRFTokenAreRefused() async throws {
        try await withServer { client, _ in
            var browser = Browser()
            _ = try await browser.get(client, "/login")
            let missing = try await browser.post(client, "/login", form: ["username": "alice", "password": "right-password"])
            #expect(missing.status == .forbidden)
            let forged = try await browser.post(client, "/login", form: ["username": "alice", "password": "right-password", "csrf_token": "AAAA"])
            #expect(forged.status == .forbidden)
            var stranger = Browser()
            let page = try await stranger.get(client, "/login")
            // A token from another browser does not fit this browser's cookie.
            let crossed = try await browser.post(client, "/login", form: ["username": "alice", "password": "right-password", "csrf_token": csrfToken(in: page.bodyText)])
            #expect(crossed.status == .forbidden)
            #expect(try await browser.post(client, "/logout", form: [:]).status == .forbidden)
        }
    }
}
