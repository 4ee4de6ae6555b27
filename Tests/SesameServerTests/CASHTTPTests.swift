import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import SesameSQL
import Synchronization
import Testing

@testable import SesameServer

/// The CAS endpoints over the real router: tickets from /cas/login for a signed-in session, the
/// validation endpoints in text, XML and JSON, proxying under the services' proxy policy, and the
/// CAS failure codes.
@Suite struct CASHTTPTests {
    static let portal = "https://portal.example.test/"
    static let backend = "https://backend.example.test/"

    /// Keeps what would have been POSTed to a proxy callback, and says it arrived.
    final class Callbacks: ProxyCallback {
        let pgts = Mutex<[String]>([])
        func deliver(callback: String, pgtID: String, pgtIOU: String) async -> Bool {
            pgts.withLock { $0.append(pgtID) }
            return true
        }
    }

    /// The CAS server as `sesame serve` wires it, proxy callbacks going to `callbacks`; `portal`
    /// may ask for proxy-granting tickets, `backend` accepts proxy tickets from `proxiesForBackend`.
    static func with(proxiesForBackend: [String] = ["portal"], callbacks: Callbacks = Callbacks(),
                     _ body: @Sendable @escaping (any TestClientProtocol, OAuthServer) async throws -> Void) async throws {
        try await OAuthServer.with(configure: { dependencies, store in
            SignInPolicyServerTests.addCASAndSecondFactor(&dependencies, store)
            dependencies.cas!.proxyCallback = callbacks
        }) { client, server in
            try await server.store.insert(CASService(
                id: "cas-portal", name: "portal", pattern: portal, attributes: ["email", "name"], proxyCallbackPattern: portal + "pgt/", createdAt: Date()
            ))
            var back = CASService(id: "cas-backend", name: "backend", pattern: backend, createdAt: Date())
            back.allowedProxies = proxiesForBackend
            try await server.store.insert(back)
            try await body(client, server)
        }
    }

    static func ticket(_ client: some TestClientProtocol, _ server: OAuthServer, service: String = portal) async throws -> String {
        let response = try await client.execute(
            uri: "/cas/login?service=" + formEncode(service), method: .get, headers: [.cookie: "sesame_session=" + (try await server.aliceSession())]
        )
        let location = try #require(response.headers[.location], "\(response.status)")
        #expect(location.hasPrefix(service + "?ticket=ST-"))
        return try #require(OAuthServer.query(of: location)["ticket"])
    }

    static func get(_ client: some TestClientProtocol, _ path: String, _ query: [String: String]) async throws -> TestResponse {
        try await client.execute(uri: path + "?" + query.map { "\($0.key)=\(formEncode($0.value))" }.joined(separator: "&"), method: .get)
    }

    @Test func loginIssuesATicketThatValidatesOnce() async throws {
        try await Self.with { client, server in
            let anonymous = try await client.execute(uri: "/cas/login?service=" + formEncode(Self.portal), method: .get)
            #expect(anonymous.headers[.location]?.hasPrefix("/login?") == true, "to the sign-in page, no ticket")
            let unknown = try await client.execute(
                uri: "/cas/login?service=" + formEncode("https://evil.example/"), method: .get,
                headers: [.cookie: "sesame_session=" + (try await server.aliceSession())]
            )
            #expect(unknown.status == .badRequest)
            #expect(unknown.headers[.location] == nil)

            let ticket = try await Self.ticket(client, server)
            let first = try await Self.get(client, "/cas/validate", ["ticket": ticket, "service": Self.portal])
            #expect(first.bodyText == "yes\nalice\n")
            let again = try await Self.get(client, "/cas/validate", ["ticket": ticket, "service": Self.portal])
            #expect(again.bodyText == "no\n", "a service ticket is single-use")
        }
    }

    @Test func serviceValidateAnswersInXMLAndJSONWithTheFailureCodes() async throws {
        try await Self.with { client, server in
            let v2 = try await Self.get(client, "/cas/serviceValidate", ["ticket": try await Self.ticket(client, server), "service": Self.portal])
            #expect(v2.headers[.contentType]?.hasPrefix("application/xml") == true)
            #expect(v2.bodyText.contains("<cas:user>alice</cas:user>"))
            #expect(!v2.bodyText.contains("<cas:attributes>"), "CAS 2.0 carries no attributes")

            let v3 = try await Self.get(client, "/cas/p3/serviceValidate", ["ticket": try await Self.ticket(client, server), "service": Self.portal])
            #expect(v3.bodyText.contains("<cas:email>alice@example.com</cas:email>"))
            #expect(v3.bodyText.contains("<cas:name>Alice Liddell</cas:name>"))

            let json = try await Self.get(client, "/cas/p3/serviceValidate", [
                "ticket": try await Self.ticket(client, server), "service": Self.portal, "format": "JSON",
            ])
            #expect(json.headers[.contentType] == "application/json")
            let object = try JSONSerialization.jsonObject(with: Data(json.bodyText.utf8)) as? [String: Any]
            let success = (object?["serviceResponse"] as? [String: Any])?["authenticationSuccess"] as? [String: Any]
            #expect(success?["user"] as? String == "alice")
            #expect((success?["attributes"] as? [String: Any])?["email"] as? [String] == ["alice@example.com"])

            let elsewhere = try await Self.get(client, "/cas/serviceValidate", ["ticket": try await Self.ticket(client, server), "service": Self.backend])
            #expect(elsewhere.bodyText.contains(#"code="INVALID_SERVICE""#))
            let forged = try await Self.get(client, "/cas/serviceValidate", ["ticket": "ST-forged<x>", "service": Self.portal])
            #expect(forged.bodyText.contains(#"code="INVALID_TICKET""#))
            #expect(!forged.bodyText.contains("<x>"), "escaped")
            let missing = try await Self.get(client, "/cas/serviceValidate", ["service": Self.portal])
            #expect(missing.status == .ok)
            #expect(missing.bodyText.contains(#"code="INVALID_REQUEST""#))
            let failedJSON = try await Self.get(client, "/cas/p3/serviceValidate", ["ticket": "ST-nope", "service": Self.portal, "format": "json"])
            #expect(failedJSON.bodyText.contains(#""authenticationFailure":{"code":"INVALID_TICKET""#))
        }
    }

    /// The portal validates with a pgtUrl under its registered callback pattern and gets a PGT;
    /// /cas/proxy turns it into a PT for the backend, which only /cas/proxyValidate accepts.
    @Test func proxyTicketsFollowTheProxyPolicy() async throws {
        let callbacks = Callbacks()
        try await Self.with(callbacks: callbacks) { client, server in
            let validated = try await Self.get(client, "/cas/serviceValidate", [
                "ticket": try await Self.ticket(client, server), "service": Self.portal, "pgtUrl": Self.portal + "pgt/cb",
            ])
            #expect(validated.bodyText.contains("<cas:proxyGrantingTicket>PGTIOU-"))
            let pgt = try #require(callbacks.pgts.withLock { $0.last })

            let proxy = try await Self.get(client, "/cas/proxy", ["pgt": pgt, "targetService": Self.backend + "api"])
            #expect(proxy.bodyText.contains("<cas:proxySuccess>"))
            let pt = try #require(proxy.bodyText.components(separatedBy: "<cas:proxyTicket>").dropFirst().first?.components(separatedBy: "<").first)
            #expect(pt.hasPrefix("PT-"))
            let refusedByServiceValidate = try await Self.get(client, "/cas/serviceValidate", ["ticket": pt, "service": Self.backend + "api"])
            #expect(refusedByServiceValidate.bodyText.contains("authenticationFailure"))
            let ptAgain = try await Self.get(client, "/cas/proxy", ["pgt": pgt, "targetService": Self.backend + "api"])
            let pt2 = try #require(ptAgain.bodyText.components(separatedBy: "<cas:proxyTicket>").dropFirst().first?.components(separatedBy: "<").first)
            let proxyValidated = try await Self.get(client, "/cas/proxyValidate", ["ticket": pt2, "service": Self.backend + "api"])
            #expect(proxyValidated.bodyText.contains("<cas:user>alice</cas:user>"))
            #expect(proxyValidated.bodyText.contains("<cas:proxy>\(Self.portal)pgt/cb</cas:proxy>"))

            let toThePortal = try await Self.get(client, "/cas/proxy", ["pgt": pgt, "targetService": Self.portal])
            #expect(toThePortal.bodyText.contains(#"code="UNAUTHORIZED_SERVICE_PROXY""#), "the portal accepts no proxies")
            #expect(try await Self.get(client, "/cas/proxy", ["targetService": Self.backend]).bodyText.contains(#"code="INVALID_REQUEST""#))
            #expect(try await Self.get(client, "/cas/proxy", ["pgt": "PGT-forged", "targetService": Self.backend]).bodyText.contains(#"code="INVALID_TICKET""#))

            let outside = try await Self.get(client, "/cas/serviceValidate", [
                "ticket": try await Self.ticket(client, server), "service": Self.portal, "pgtUrl": "https://evil.example/pgt",
            ])
            #expect(outside.bodyText.contains(#"code="INVALID_PROXY_CALLBACK""#))
        }
    }

    @Test func aBackendThatAllowsNoProxyRefusesProxyTickets() async throws {
        let callbacks = Callbacks()
        try await Self.with(proxiesForBackend: [], callbacks: callbacks) { client, server in
            _ = try await Self.get(client, "/cas/serviceValidate", [
                "ticket": try await Self.ticket(client, server), "service": Self.portal, "pgtUrl": Self.portal + "pgt/cb",
            ])
            let pgt = try #require(callbacks.pgts.withLock { $0.last })
            let refused = try await Self.get(client, "/cas/proxy", ["pgt": pgt, "targetService": Self.backend])
            #expect(refused.bodyText.contains(#"code="UNAUTHORIZED_SERVICE_PROXY""#))
            #expect(!refused.bodyText.contains("PT-"))
        }
    }
}
