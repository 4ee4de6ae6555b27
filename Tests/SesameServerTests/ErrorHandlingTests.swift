import SesameCore
import SesameSQL
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import SesameSQLite

@Suite struct ErrorHandlingTests {
    func postRaw(_ client: some TestClientProtocol, _ body: ByteBuffer, contentType: String = "application/x-www-form-urlencoded") async throws -> TestResponse {
        try await client.execute(uri: "/login", method: .post, headers: [.contentType: contentType], body: body)
    }

    @Test func badBodiesGetClear4xxAnswers() async throws {
        try await withServer { client, store in
            #expect(try await postRaw(client, ByteBuffer(string: "username=%FF%FE&password=x")).status == .badRequest)
            #expect(try await postRaw(client, ByteBuffer(string: "username=%E2%82&password=x")).status == .badRequest)
            #expect(try await postRaw(client, ByteBuffer(string: "username=%ZZ")).status == .badRequest)
            #expect(try await postRaw(client, ByteBuffer(bytes: [0x75, 0x3d, 0xff, 0xfe])).status == .badRequest)
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 65 * 1024)
            #expect(try await postRaw(client, huge).status == .contentTooLarge)
            #expect(try await postRaw(client, ByteBuffer(string: "{}"), contentType: "application/json").status == .unsupportedMediaType)
            let users = try await store.users()
            #expect(users.map(\.username) == ["alice"])
        }
    }

    @Test func unknownRoutesAre404PagesOrJSON() async throws {
        try await withServer { client, _ in
            let page = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.bodyText.contains("There is no page at this address."))
            let json = try await client.execute(uri: "/no/such/page", method: .get, headers: [.accept: "application/json"])
            #expect(json.status == .notFound)
            #expect(json.bodyText == #"{"error":"not_found","error_description":"There is no page at this address."}"#)
        }
    }

    @Test(arguments: ["/login", "/account", "/healthz", "/nowhere"])
    func everyResponseCarriesSecurityHeaders(path: String) async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: path, method: .get)
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'none'"))
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        }
    }

    @Test func healthzReportsTheStore() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.bodyText == #"{"status":"ok","store":"ok"}"#)
        }
    }

    @Test func stylesheetIsServedBySesame() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/static/sesame.css", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            #expect(!response.bodyText.contains("@import"))
        }
    }
}
