import Foundation
import SesameCore
import SesameSQL
import Testing

/// Issue 15: clients and CAS services are managed in one place for the CLI and the admin API:
/// typed refusals, one audit event each whose detail does not depend on the actor, and client
/// display names apart from the identifier.
@Suite struct AppManagementTests {
    typealias MemoryAudit = SessionTerminationTests.MemoryAudit

    @Test func aDisplayNameWithSpacesMakesTheIdentifierAndFindsTheClient() async throws {
        try await withStore { store, _ in
            let clients = ClientManagement(store: store)
            let (wiki, _) = try await clients.add(name: "Team Wiki", ClientRegistration(redirectURIs: ["https://wiki.example.test/cb"]))
            #expect(wiki.name == "team-wiki" && wiki.displayName == "Team Wiki" && wiki.shownName == "Team Wiki")
            #expect(try await clients.client(named: "team-wiki").id == wiki.id)
            #expect(try await clients.client(named: "team wiki").id == wiki.id)
            #expect(try await store.client(id: wiki.id)?.displayName == "Team Wiki")
            // The same identifier again is a conflict on the name, not a message to parse.
            await #expect(throws: ClientError.duplicateName("team-wiki")) {
                _ = try await clients.add(name: "TEAM  wiki!", ClientRegistration(redirectURIs: ["https://wiki.example.test/cb"]))
            }
            var change = ClientRegistration()
            change.displayName = "Wiki\u{202E}gnp"  // a right-to-left override would disguise the name
            await #expect(throws: ClientError.self) { _ = try await clients.update(name: "team-wiki", change) }
            change.displayName = ""
            #expect(try await clients.update(name: "team-wiki", change).0.shownName == "team-wiki")
            do {
                _ = try await clients.add(name: "日本", ClientRegistration(redirectURIs: ["https://x.example.test/cb"]))
                Issue.record("a name with nothing to make an identifier from was accepted")
            } catch let error as ClientError {
                #expect(error.kind == .invalid && error.field == "name")
            }
            await #expect(throws: ClientError.unknownClient("nobody")) { _ = try await clients.client(named: "nobody") }
        }
    }

    @Test func clientChangesRecordTheSameDetailWhoeverMakesThem() async throws {
        try await withStore { store, _ in
            let memory = MemoryAudit()
            let trail = AuditTrail(store: memory)
            var byCLI = ClientManagement(store: store)
            byCLI.audit = trail
            var byAPI = byCLI
            byAPI.actor = .apiClient(clientID: "bot")
            var update = ClientRegistration(scopes: ["openid"], firstParty: true)
            update.displayName = "The Wiki"
            for (index, door) in [byCLI, byAPI].enumerated() {
                _ = try await door.add(name: "Team Wiki", ClientRegistration(redirectURIs: ["https://wiki.example.test/cb"]))
                _ = try await door.update(name: "team-wiki", update)
                _ = try await door.rotateSecret(name: "team-wiki")
                try await door.delete(name: "team-wiki")
                #expect(try await memory.written(trail).count == 4 * (index + 1))
            }
            let events = try await memory.written(trail)
            let (cli, api) = (events.prefix(4), events.suffix(4))
            #expect(cli.map(\.type) == ["client.created", "client.updated", "client.secret_rotated", "client.deleted"])
            #expect(cli.map(\.type) == api.map(\.type) && cli.map(\.detail) == api.map(\.detail))
            #expect(cli.allSatisfy { $0.actor == "cli" } && api.allSatisfy { $0.actor == "client:bot" })
            #expect(cli.first?.detail?.contains(#""display_name":{"after":["Team Wiki"],"before":[]}"#) == true)
        }
    }

    @Test func casServicesRefuseDuplicatesAndCheckAChangedPattern() async throws {
        try await withStore { store, _ in
            let memory = MemoryAudit()
            let trail = AuditTrail(store: memory)
            var services = CASServiceManagement(store: store)
            services.audit = trail
            _ = try await services.add(name: "intranet", pattern: "https://intranet.example.test/")
            await #expect(throws: ClientError.duplicateCASService("INTRANET")) {
                _ = try await services.add(name: "INTRANET", pattern: "https://other.example.test/")
            }
            var change = CASServiceChange()
            change.pattern = "ftp://intranet.example.test/"
            await #expect(throws: ClientError.self) { _ = try await services.update(name: "intranet", change) }
            change.pattern = "https://intra.example.test/"
            change.logoutURL = "https://intra.example.test/logout"
            let changed = try await services.update(name: "Intranet", change)
            #expect(changed.pattern == "https://intra.example.test/" && changed.logoutURL == "https://intra.example.test/logout")
            change = CASServiceChange()
            change.logoutURL = ""
            #expect(try await services.update(name: "intranet", change).logoutURL == nil)
            try await services.delete(name: "intranet")
            await #expect(throws: ClientError.unknownCASService("intranet")) { try await services.delete(name: "intranet") }
            let events = try await memory.written(trail)
            #expect(events.map(\.type) == ["cas_service.created", "cas_service.updated", "cas_service.updated", "cas_service.deleted"])
            #expect(events[1].detail?.contains(#""pattern":{"after":["https:\/\/intra.example.test\/"]"#) == true
                || events[1].detail?.contains(#""pattern":{"after":["https://intra.example.test/"]"#) == true)
        }
    }
}
