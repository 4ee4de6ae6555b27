import Foundation
import SesameCore
import SesameSQL
import Testing

@Suite struct AuditChainStoreTests {
    func events(_ prefix: String, _ n: Int) -> [AuditEvent] {
        (0..<n).map { AuditEvent(type: "test.\(prefix)", at: t0.addingTimeInterval(Double($0)), actor: prefix, subject: "s\($0)", detail: "{\"n\":\($0)}") }
    }

    /// Two instances append at the same time; the result is still one unbroken chain.
    /// A flush of many events goes in several multi-row INSERTs; the chain still runs in id order.
    @Test(arguments: StoreKind.allCases)
    func aLargeBatchIsStoredInOrderAsOneChain(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 1) { stores in
            try await stores[0].append(self.events("batch", 250))
            try await stores[0].append(self.events("single", 1))
            let chain = try await stores[0].auditChain(afterID: 0, limit: 1000)
            #expect(chain.map(\.event.subject) == (0..<250).map { "s\($0)" } + ["s0"])
            #expect(try await AuditChainVerifier(store: stores[0], pageSize: 64).verify() == .intact(events: 251))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func appendsFromTwoInstancesFormOneChain(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            _ = try await race(20, over: stores) { store in
                try await store.append(self.events(UUID().uuidString, 5))
            }
            let chain = try await stores[0].auditChain(afterID: 0, limit: 1000)
            #expect(chain.count == 100)
            #expect(chain.first?.previousHash == AuditChain.genesis)
            #expect(try await AuditChainVerifier(store: stores[1], pageSize: 7).verify() == .intact(events: 100))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anEditedEventBreaksTheChainAtThatEvent(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.append(events("a", 10))
            let chain = try await store.auditChain(afterID: 0, limit: 100)
            let victim = chain[4].id
            _ = try await store.database.write { try await $0.query("UPDATE audit_events SET subject = 'mallory' WHERE id = ?", [.integer(victim)]) }
            guard case .broken(let id, let reason) = try await AuditChainVerifier(store: store).verify() else {
                Issue.record("an edited event must break the chain")
                return
            }
            #expect(id == victim)
            #expect(reason.contains("changed"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDeletedEventBreaksTheChainAtTheNextOne(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.append(events("a", 10))
            let chain = try await store.auditChain(afterID: 0, limit: 100)
            _ = try await store.database.write { try await $0.query("DELETE FROM audit_events WHERE id = ?", [.integer(chain[6].id)]) }
            #expect(try await AuditChainVerifier(store: store).verify() == .broken(
                eventID: chain[7].id, reason: "it does not follow event \(chain[5].id): an event before it was removed, added or changed"
            ))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pruningKeepsTheRestVerifiable(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.append(events("a", 10))
            let chain = try await store.auditChain(afterID: 0, limit: 100)
            #expect(try await store.pruneAuditEvents(before: t0.addingTimeInterval(4), at: t0.addingTimeInterval(99)) == 4)
            #expect(try await store.auditChainAnchor() == AuditChainAnchor(firstEventID: chain[4].id, previousHash: chain[3].hash, prunedAt: t0.addingTimeInterval(99)))
            try await store.append(events("b", 3))
            #expect(try await AuditChainVerifier(store: store).verify() == .intact(events: 9))
            // Removing the first kept event is still caught.
            _ = try await store.database.write { try await $0.query("DELETE FROM audit_events WHERE id = ?", [.integer(chain[4].id)]) }
            guard case .broken(let id, _) = try await AuditChainVerifier(store: store).verify() else {
                Issue.record("deleting the first event after the cut must break the chain")
                return
            }
            #expect(id == chain[5].id)
        }
    }
}
