import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SesameModels
import Testing

@testable import SesameServer

/// Over real TCP, so the peer address is real (127.0.0.1).
@Suite struct ForwardedHeadersTests {
    func app(trusting trusted: [String]) -> some ApplicationProtocol {
        let router = Router(context: SesameRequestContext.self)
        router.add(middleware: ForwardedHeadersMiddleware(trusted: trusted.compactMap(IPRange.init)))
        router.get("/whoami") { _, context in "\(context.clientAddress ?? "-") \(context.scheme)" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    func whoami(_ app: some ApplicationProtocol, _ headers: HTTPFields) async throws -> String {
        try await app.test(.live) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: headers) { String(buffer: $0.body) }
        }
    }

    @Test func aTrustedProxyNamesTheClientAndScheme() async throws {
        let proxy = app(trusting: ["127.0.0.0/8", "10.0.0.0/8"])
        #expect(try await whoami(proxy, [.xForwardedFor: "198.51.100.7", .xForwardedProto: "https"]) == "198.51.100.7 https")
        // What the client wrote itself (left of the first untrusted hop) is ignored.
        #expect(try await whoami(proxy, [.xForwardedFor: "6.6.6.6, 198.51.100.7, 10.0.0.5"]) == "198.51.100.7 http")
        #expect(try await whoami(proxy, [.xForwardedFor: "2001:db8::9"]) == "2001:db8::9 http")
        #expect(try await whoami(proxy, [.xForwardedFor: "not-an-address", .xForwardedProto: "gopher"]) == "127.0.0.1 http")
        #expect(try await whoami(proxy, [:]) == "127.0.0.1 http")
    }

    @Test func anyoneElsesForwardedHeadersAreIgnored() async throws {
        let direct = app(trusting: ["10.0.0.0/8"])
        #expect(try await whoami(direct, [.xForwardedFor: "198.51.100.7", .xForwardedProto: "https"]) == "127.0.0.1 http")
        #expect(try await whoami(app(trusting: []), [.xForwardedFor: "198.51.100.7"]) == "127.0.0.1 http")
    }
}
