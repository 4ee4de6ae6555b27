import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import Testing

@testable import SesameServer

/// The "just signed in" marker (`sesame_auth_after`) lets prompt=login, max_age, the
/// id_token_hint check and CAS renew pass only on the way straight back from that sign-in.
@Suite struct FreshSignInMarkerTests {
    let csrf = DataKey(bytes: Array(repeating: 5, count: 32))!.csrf
    var marker: FreshSignInMarker { FreshSignInMarker(csrf: csrf) }
    let made = Date(timeIntervalSince1970: 1_800_000_000)
    let browser = "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b"
    let otherBrowser = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b"

    func fresh(_ value: String?, browser: String?, audience: FreshSignInMarker.Audience = .client("app"), signedInAfter: TimeInterval = 20, now: TimeInterval = 30) -> Bool {
        marker.freshAfter(value, browser: browser, audience: audience, authenticatedAt: made.addingTimeInterval(signedInAfter), now: made.addingTimeInterval(now)) != nil
    }

    @Test func countsOnTheWayStraightBackInTheSameBrowserForTheSameApp() {
        let value = marker.make(at: made, browser: browser, audience: .client("app"))
        #expect(fresh(value, browser: browser))
        #expect(marker.freshAfter(value, browser: browser, audience: .client("app"), authenticatedAt: made.addingTimeInterval(20), now: made.addingTimeInterval(30)) == made)
        let cas = marker.make(at: made, browser: browser, audience: .casService("https://app.test/cas"))
        #expect(fresh(cas, browser: browser, audience: .casService("https://app.test/cas")))
    }

    @Test func anotherBrowserOrNoneGetsNothingFromIt() {
        let value = marker.make(at: made, browser: browser, audience: .client("app"))
        #expect(!fresh(value, browser: otherBrowser))
        #expect(!fresh(value, browser: nil))
    }

    @Test func anotherClientOrServiceGetsNothingFromIt() {
        let value = marker.make(at: made, browser: browser, audience: .client("app"))
        #expect(!fresh(value, browser: browser, audience: .client("other")))
        #expect(!fresh(value, browser: browser, audience: .casService("app")))
        let cas = marker.make(at: made, browser: browser, audience: .casService("https://a.test/"))
        #expect(!fresh(cas, browser: browser, audience: .casService("https://b.test/")))
    }

    @Test func itExpires() {
        let value = marker.make(at: made, browser: browser, audience: .client("app"))
        // Back more than a minute after that sign-in.
        #expect(!fresh(value, browser: browser, signedInAfter: 20, now: 20 + FreshSignInMarker.returnWindow + 1))
        // A sign-in long after the marker was made (a replay of an old one).
        #expect(!fresh(value, browser: browser, signedInAfter: FreshSignInMarker.signInWindow + 5, now: FreshSignInMarker.signInWindow + 10))
        // A session that signed in before the marker was made is not fresh.
        #expect(!fresh(value, browser: browser, signedInAfter: -60, now: 10))
    }

    @Test func forgedAndOldStyleMarkersAreRefused() {
        let value = marker.make(at: made, browser: browser, audience: .client("app"))
        let later = String(Int(made.timeIntervalSince1970) + 100) + "." + value.split(separator: ".")[1]
        #expect(!fresh(later, browser: browser, signedInAfter: 120, now: 130), "the time cannot be moved")
        for forged in ["", ".", "1800000000.", "x.y", "1800000000.AAAA", "-1.abc", "1800000000"] {
            #expect(!fresh(forged, browser: browser))
        }
        // The old marker was a CSRF token for "auth_after:<time>": worthless now.
        let seconds = Int(made.timeIntervalSince1970)
        #expect(!fresh("\(seconds).\(csrf.token(for: "auth_after:\(seconds)"))", browser: browser))
        // Nor does a CSRF token for the marker's own message pass: the marker has its own key.
        #expect(!fresh("\(seconds).\(csrf.token(for: "10:\(seconds)\(browser.utf8.count):\(browser)10:client:app"))", browser: browser))
    }

    /// A CSRF cookie Sesame did not make (here a value chosen to make CSRF tokens sign something
    /// else) is replaced, never signed.
    @Test(arguments: ["auth_after:1800000000-padding-padding-padding", String(repeating: "A", count: 44), String(repeating: "A", count: 42) + "!"])
    func aCSRFCookieOfTheWrongShapeIsReplaced(value: String) async throws {
        try await withServer { client, _ in
            var browser = Browser()
            browser.cookies["sesame_csrf"] = value
            let page = try await browser.get(client, "/login")
            #expect(page.headers[values: .setCookie].contains { $0.hasPrefix("sesame_csrf=") })
            let secret = try #require(browser.cookies["sesame_csrf"])
            #expect(secret != value && CSRFTokens.isWellFormedSecret(secret))
            #expect(!csrf.verify(token: csrfToken(in: page.bodyText), cookieValue: value))
            // A cookie of the right shape is kept.
            let again = try await browser.get(client, "/login")
            #expect(!again.headers[values: .setCookie].contains { $0.hasPrefix("sesame_csrf=") })
        }
    }
}
