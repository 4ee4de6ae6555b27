import Foundation
import SesameCore
import SesameSQL
import Testing

/// The issuer a server records at start, on every store: unknown until a server starts, the last
/// start wins, and another instance (the CLI) reads it.
@Suite struct ServerStateStoreTests {
    @Test(arguments: StoreKind.allCases)
    func lastStartedIssuerIsRead(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (server, cli) = (stores[0], stores[1])
            #expect(try await cli.servedIssuer() == nil, "no server has started")
            try await server.recordServedIssuer("https://old.example", at: t0)
            try await server.recordServedIssuer("https://id.example", at: t0.addingTimeInterval(60))
            #expect(try await cli.servedIssuer() == "https://id.example")
        }
    }
}
