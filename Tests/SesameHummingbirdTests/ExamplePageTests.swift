import Hummingbird
import HummingbirdTesting
import SesameHummingbird
import Testing

/// The toolkit's `page(_:_:)` escapes by byte: a `"` or `>` followed by a combining mark, or U+0600
/// before `<`, is one `Character`, which a per-`Character` replacement let through raw.
@Suite struct ExamplePageTests {
    @Test(arguments: ["\"\u{301} onmouseover=x", ">\u{301}<script>x</script>", "\u{600}<img src=x>"])
    func aMessageAddsNoMarkup(_ message: String) async throws {
        let router = Router()
        router.get("/") { _, _ in page("Title", message) }
        let html = try await Application(router: router).test(.router) { client in
            String(buffer: try await client.execute(uri: "/", method: .get).body)
        }
        let shown = try #require(html.split(separator: "<p id=\"message\">").last?.split(separator: "</p>").first)
        #expect(!shown.unicodeScalars.contains { "<>\"".unicodeScalars.contains($0) })
        // The text itself is kept, as entities (compared by scalar: `&quot;` + U+0301 is one `Character`).
        let entities = message.unicodeScalars.filter { "<>\"".unicodeScalars.contains($0) }.count
        #expect(shown.unicodeScalars.filter { $0 == "&" }.count == entities)
    }
}
