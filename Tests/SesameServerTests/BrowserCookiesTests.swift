import Foundation
import Hummingbird
import SesameCore
@testable import SesameServer
import Testing

/// The names and attributes of Sesame's cookies: `__Host-` needs Secure, `Path=/` and no Domain.
@Suite struct BrowserCookiesTests {
    static func attributes(_ cookie: Cookie) -> [String] {
        cookie.description.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    @Test func httpsCookiesAreHostCookies() {
        let cookies = BrowserCookies(secure: true, random: SystemRandom())
        let all = [cookies.sessionCookie("s"), cookies.expiredSessionCookie(), cookies.pendingCookie("p"), cookies.expiredPendingCookie(),
                   cookies.csrfSecret(of: Request(head: .init(method: .get, scheme: "https", authority: "x", path: "/"), body: .init(buffer: .init()))).newCookie!]
        #expect(Set(all.map(\.name)) == ["__Host-sesame_session", "__Host-sesame_pending", "__Host-sesame_csrf"])
        for cookie in all {
            let attributes = Self.attributes(cookie)
            #expect(attributes.contains("secure") && attributes.contains("path=/") && attributes.contains("httponly"), "\(cookie)")
            #expect(!attributes.contains { $0.hasPrefix("domain=") })
        }
    }

    @Test func httpCookiesKeepTheirPlainNamesAndThePendingOneItsPath() {
        let cookies = BrowserCookies(secure: false, random: SystemRandom())
        #expect([cookies.session, cookies.csrf, cookies.pending] == ["sesame_session", "sesame_csrf", "sesame_pending"])
        #expect(Self.attributes(cookies.pendingCookie("p")).contains("path=/login"))
        #expect(!Self.attributes(cookies.sessionCookie("s")).contains("secure"))
    }
}
