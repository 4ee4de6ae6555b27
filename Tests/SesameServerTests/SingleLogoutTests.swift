import Foundation
import SesameCore
import Testing

@testable import SesameServer

/// Issue 13, point 6: single log-out goes only where the registration points, never to an address
/// a ticket's service URL names but the service's pattern no longer covers.
@Suite struct SingleLogoutTests {
    func service(_ pattern: String, logoutURL: String? = nil) -> CASService {
        CASService(id: "s", name: "intranet", pattern: pattern, logoutURL: logoutURL, createdAt: Date())
    }

    @Test func itGoesToTheServiceURLOnlyWhileThePatternCoversIt() {
        let intranet = service("https://intranet.example.test")
        #expect(SingleLogout.destination(serviceURL: "https://intranet.example.test/app?x=1", service: intranet) == "https://intranet.example.test/app?x=1")
        // Tickets issued before patterns had a host boundary may still be in the database.
        #expect(SingleLogout.destination(serviceURL: "https://intranet.example.test.evil.test/", service: intranet) == nil)
        #expect(SingleLogout.destination(serviceURL: "https://intranet.example.test@127.0.0.1:8080/admin", service: intranet) == nil)
    }

    @Test func aRegisteredLogoutURLWins() {
        let intranet = service("https://intranet.example.test/", logoutURL: "https://intranet.example.test/cas/slo")
        #expect(SingleLogout.destination(serviceURL: "https://intranet.example.test/app", service: intranet) == "https://intranet.example.test/cas/slo")
        let broken = service("https://intranet.example.test/", logoutURL: "https://user@intranet.example.test/slo")
        #expect(SingleLogout.destination(serviceURL: "https://intranet.example.test/app", service: broken) == nil)
    }
}
