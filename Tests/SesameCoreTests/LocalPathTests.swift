import SesameCore
import SesameModels
import Testing

/// The one `return_to` check that Sesame and the app toolkit share, made on bytes.
@Suite struct LocalPathTests {
    // `/` + U+034F is one Character, so a Character check saw `/`, `/` + mark: not `//`.
    // Chromium drops the mark and leaves the site.
    @Test(arguments: ["//\u{34F}evil.example", "/\u{34F}/evil.example", "/\u{301}/evil.example", "/\u{34F}\\evil.example",
                      "/\t/evil.example", "/\u{7F}/evil.example", "/ /evil.example", "/caf\u{E9}", "/a\u{0}b"])
    func refusesWhatABrowserCouldReadAsAnotherHost(target: String) {
        #expect(!LocalPath.isLocal(target))
        #expect(LocalRedirect.validated(target) == "/account")
    }

    @Test func anAuthorizationRequestWithAFewKilobytesOfStateIsStillLocal() {
        let target = "/authorize?client_id=app&state=" + String(repeating: "s", count: 4000)
        #expect(LocalRedirect.validated(target) == target)
    }

    @Test func theLengthIsBounded() {
        let longest = "/" + String(repeating: "a", count: LocalPath.maximumLength - 1)
        #expect(LocalPath.isLocal(longest))
        #expect(!LocalPath.isLocal(longest + "a"))
    }
}
