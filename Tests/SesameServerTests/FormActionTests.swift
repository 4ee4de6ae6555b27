import Hummingbird
@testable import SesameServer
import Testing

/// `form-action` sources for the places a sign-in, consent or sign-out may redirect on to.
@Suite struct FormActionSourceTests {
    @Test(arguments: [
        ("https://app.example.test/cb?x=1", "https://app.example.test"), ("http://127.0.0.1:9/callback", "http://127.0.0.1:9"),
        ("http://[::1]:8080/cb", "http://[::1]:8080"), ("HTTPS://App.Example.Test:8443/", "https://app.example.test:8443"),
        ("com.example.app:/oauth", "com.example.app:"),
    ])
    func aRedirectURIBecomesItsOrigin(uri: String, source: String) {
        #expect(FormDestinations.source(of: uri) == source)
    }

    @Test(arguments: ["https://app.example.test;script-src/", "not a uri", "https:///nohost", "1abc:/x"])
    func anythingElseIsNoSource(uri: String) {
        #expect(FormDestinations.source(of: uri) == nil)
    }

    @Test func aPageNamesSesameAndTheCheckedDestinationsOnly() throws {
        var response = PageRenderer().render("consent", PageEscapingTests.values("x"))
        #expect(response.headers[.contentSecurityPolicy]?.contains("form-action") == false)
        PageRenderer().restrictForms(of: &response, goingOnTo: ["https://app.example.test/cb", "https://app.example.test/other"])
        #expect(response.headers[.contentSecurityPolicy]?.contains("; form-action 'self' https://app.example.test;") == true)
        var unclear = PageRenderer().render("consent", PageEscapingTests.values("x"))
        PageRenderer().restrictForms(of: &unclear, goingOnTo: ["https://app.example.test;x"])
        #expect(unclear.headers[.contentSecurityPolicy]?.contains("form-action") == false)
    }
}

@Suite struct FormDestinationsTests {
    @Test func sesamesOwnPagesGoNowhereElseAndSignOutIsLeftOpen() async {
        let destinations = FormDestinations(authorizeChecks: nil, casTickets: nil)
        #expect(await destinations.uris(after: "/account") == [])
        #expect(await destinations.uris(after: "/cas/login?service=https%3A%2F%2Fevil.test%2F") == [])
        #expect(await destinations.uris(after: "/end-session?post_logout_redirect_uri=https%3A%2F%2Fapp.test%2F") == nil)
    }
}
