import Foundation
import Testing

@testable import SesameCore

/// Issue 13, point 6: a prefix pattern compares scheme, host and port exactly, then the path at a
/// `/` boundary; a URL with user info is never a service, whatever the pattern.
@Suite struct CASServicePatternTests {
    func service(_ pattern: String) -> CASService { CASService(id: "s", name: "intranet", pattern: pattern, createdAt: Date()) }

    @Test func aPrefixWithoutPathMatchesItsHostOnly() {
        let intranet = service("https://intranet.example.test")
        #expect(intranet.matches("https://intranet.example.test/"))
        #expect(intranet.matches("https://intranet.example.test"))
        #expect(intranet.matches("https://INTRANET.example.test:443/page?x=1"))
        #expect(!intranet.matches("https://intranet.example.test.evil.test/"), "another host that starts with the same letters")
        #expect(!intranet.matches("https://intranet.example.test@127.0.0.1/steal"), "user info: the host is 127.0.0.1")
        #expect(!intranet.matches("https://intranet.example.test:8443/"), "another port")
        #expect(!intranet.matches("http://intranet.example.test/"), "another scheme")
        #expect(!intranet.matches("https://intranet.example.test:x@evil.test/"))
    }

    @Test func aPrefixPathEndsAtASlash() {
        let app = service("https://intranet.example.test/app")
        #expect(app.matches("https://intranet.example.test/app"))
        #expect(app.matches("https://intranet.example.test/app/x"))
        #expect(app.matches("https://intranet.example.test/app?next=1"))
        #expect(!app.matches("https://intranet.example.test/application"))
        #expect(!app.matches("https://intranet.example.test/app/../admin"), "a browser would go to /admin")
        #expect(!app.matches("https://intranet.example.test/app/%2E%2E/admin"))
        #expect(!app.matches("https://intranet.example.test/"))
        let slash = service("https://intranet.example.test/app/")
        #expect(slash.matches("https://intranet.example.test/app/x"))
        #expect(!slash.matches("https://intranet.example.test/app"))
    }

    @Test func urlsThatBrowsersReadDifferentlyAreRefused() {
        let intranet = service("https://intranet.example.test/")
        for url in ["https://intranet.example.test\\@evil.test/", "https://intranet.example.test/\u{0301}", "https://intranet.example.test/ x",
                    "https://intranet.example.test/\t", "//intranet.example.test/", "javascript:alert(1)", "https://[::1/"] {
            #expect(!intranet.matches(url), "\(url)")
        }
    }

    @Test func aRegularExpressionStillNeverMatchesUserInfo() {
        let loose = service(#"^https://intranet\.example\.test.*"#)
        #expect(loose.matches("https://intranet.example.test/x"))
        #expect(!loose.matches("https://intranet.example.test@127.0.0.1/x"))
    }

    @Test func patternsWithUserInfoAreNotRegistered() {
        #expect(throws: ClientError.self) { try CASServiceRules.make(name: "a", pattern: "https://user@intranet.example.test/", attributes: []) }
        #expect(throws: ClientError.self) {
            try CASServiceRules.make(name: "a", pattern: "https://intranet.example.test/", attributes: [], proxyCallbackPattern: "https://u@cb.example.test/")
        }
        #expect(throws: ClientError.self) {
            try CASServiceRules.make(name: "a", pattern: "https://intranet.example.test/", attributes: [], logoutURL: "https://u@cb.example.test/")
        }
        let made = try? CASServiceRules.make(name: "a", pattern: "https://intranet.example.test/", attributes: [], allowedProxies: ["Portal", "portal"])
        #expect(made?.allowedProxies == ["portal"])
    }

    @Test func theOriginIsWhereSingleLogOutMayGo() {
        #expect(CASServiceURL("https://App.Example.test:443/x?y")?.origin == "https://app.example.test")
        #expect(CASServiceURL("http://127.0.0.1:8080/x")?.origin == "http://127.0.0.1:8080")
    }
}
