import Foundation
import Testing

@testable import SesameCore

@Suite struct CASServiceMatchingTests {
    @Test func prefixPatternsMatchTheStartOfTheURL() {
        let service = CASService(id: "s", name: "app", pattern: "https://app.example.com/", createdAt: Date())
        #expect(service.matches("https://app.example.com/"))
        #expect(service.matches("https://app.example.com/deep/page?x=1"))
        #expect(!service.matches("https://app.example.com.evil.example/"))
        #expect(!service.matches("http://app.example.com/"))
        #expect(!service.matches(""))
    }

    @Test func regularExpressionsAreAnchoredAtBothEnds() {
        let service = CASService(id: "s", name: "app", pattern: #"^https://[a-z]+\.example\.com/app"#, createdAt: Date())
        #expect(service.matches("https://wiki.example.com/app"))
        #expect(!service.matches("https://wiki.example.com/app/extra"), "anchored at the end too")
        #expect(!service.matches("xhttps://wiki.example.com/app"))
        #expect(!service.matches("https://wiki.example.com.evil.example/app"))
        let broken = CASService(id: "s", name: "bad", pattern: "^(unclosed", createdAt: Date())
        #expect(!broken.matches("(unclosed"))
    }
}

@Suite struct CASResponseTests {
    @Test func everyValueIsEscaped() {
        #expect(CASResponse.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        let failure = CASResponse.xml(.failure(.invalidTicket("ticket <x> & \"y\"")), includeAttributes: false)
        #expect(failure.contains(#"<cas:authenticationFailure code="INVALID_TICKET">ticket &lt;x&gt; &amp; &quot;y&quot;</cas:authenticationFailure>"#))
        #expect(CASResponse.text(.failure(.invalidTicket("x"))) == "no\n")
        let logout = CASResponse.logoutRequest(ticket: "ST-a<b", id: "LR-1", at: Date(timeIntervalSince1970: 0))
        #expect(logout.contains("<samlp:SessionIndex>ST-a&lt;b</samlp:SessionIndex>"))
        #expect(logout.contains(#"IssueInstant="1970-01-01T00:00:00Z""#))
    }

    @Test func proxyResponses() {
        #expect(CASResponse.proxy(.success("PT-1")).contains("<cas:proxySuccess>\n    <cas:proxyTicket>PT-1</cas:proxyTicket>"))
        #expect(CASResponse.proxy(.failure(.invalidRequest("x"))).contains(#"<cas:proxyFailure code="INVALID_REQUEST">x</cas:proxyFailure>"#))
    }
}
