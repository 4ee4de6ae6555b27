import Foundation
import SesameCore
import SesameSQL
import Testing

/// `sesame export` / `sesame import` underneath: SQLite to PostgreSQL and back loses nothing.
@Suite struct StoreDumpTests {
    func populate(_ store: SQLStore) async throws {
        var user = makeUser("ivy", email: "ivy@example.com", hash: "$scrypt$ln=14,r=8,p=2$c2FsdA$aGFzaA")
        user.groups = ["staff"]
        user.roles = ["admin", "intranet:editor"]
        try await store.insert(user)
        try await store.insert(makeUser("jon"))
        try await store.insert(Client(
            id: "c1", name: "Intranet", secretDigest: "abc", redirectURIs: ["https://intranet.example/cb"], grantTypes: [.authorizationCode],
            scopes: ["openid"], tokenEndpointAuthMethod: .clientSecretBasic, createdAt: t0
        ))
        try await store.saveConsent(userID: user.id, clientID: "c1", scopes: ["openid"], at: t0)
        try await store.insert(CASService(id: "s1", name: "Wiki", pattern: "https://wiki.example/", createdAt: t0))
        try await SigningKeyRing(store: store, sealer: DataKey(bytes: Array(repeating: 1, count: 32))!.sealer).ensureKeys()
        try await store.savePendingSecret(userID: user.id, sealed: [0, 1, 2, 250], at: t0)
        try await store.enableTwoFactor(userID: user.id, sealedSecret: [0, 1, 2, 250], usedStep: 57_000_000, recoveryDigests: ["r1", "r2"], at: t0)
        try await store.insert(SessionRecord(idDigest: "sess", userID: user.id, createdAt: t0, lastSeenAt: t0.addingTimeInterval(0.25), authenticatedAt: t0))
        _ = try await store.recordFailure(key: "account:jon", at: t0, forgetBefore: t0)
        try await store.revokeFamily("fam", at: t0)
        try await store.append((0..<5).map { AuditEvent(type: "user.created", at: t0.addingTimeInterval(Double($0) / 3), actor: "cli", subject: "ivy") })
    }

    func dump(_ store: SQLStore) async throws -> [String] {
        let lines = LinesBox()
        try await StoreDump.export(store, dataKeyID: "k1") { lines.append($0) }
        return lines.lines
    }

    @Test func roundTripBetweenSQLiteAndPostgreSQL() async throws {
        try await withStore(.sqlite) { sqlite in
            try await populate(sqlite)
            let original = try await dump(sqlite)
            #expect(original.count > 15)
            let header = try StoreDump.header(original[0])
            #expect(header == StoreDump.Header(schemaVersion: SQLStore.schemaVersion, dataKeyID: "k1"))

            try await withStore(.postgres) { postgres in
                let counts = try await StoreDump.load(Array(original.dropFirst()), header: header, into: postgres)
                #expect(counts["users"] == 2 && counts["audit_events"] == 5 && counts["signing_keys"] == 2)
                let throughPostgres = try await dump(postgres)
                #expect(throughPostgres[0] == original[0])
                #expect(throughPostgres.dropFirst().sorted() == original.dropFirst().sorted())
                #expect(try await AuditChainVerifier(store: postgres).verify() == .intact(events: 5))
                // Ids continue after the imported ones, and the chain goes on.
                try await postgres.append([AuditEvent(type: "after.import", at: t0)])
                #expect(try await AuditChainVerifier(store: postgres).verify() == .intact(events: 6))
                #expect(try await postgres.user(login: "IVY@example.com")?.roles == ["admin", "intranet:editor"])

                // And back into a new SQLite store.
                try await withStore(.sqlite) { back in
                    _ = try await StoreDump.load(Array(throughPostgres.dropFirst()), header: header, into: back)
                    #expect(try await dump(back).dropFirst().sorted() == original.dropFirst().sorted())
                }
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func importRefusesATargetThatIsNotEmptyAndLoadsNothingFromABadFile(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let header = StoreDump.Header(schemaVersion: SQLStore.schemaVersion, dataKeyID: "k1")
            let good = #"{"row":{"created_at":{"f":1800000000},"disabled":{"i":0},"email":null,"id":{"s":"u1"},"name":null,"password_hash":{"s":"x"},"updated_at":{"f":1800000000},"username":{"s":"kim"}},"table":"users"}"#
            await #expect(throws: DumpError.self) {
                _ = try await StoreDump.load([good, #"{"table":"nope","row":{"a":null}}"#], header: header, into: store)
            }
            await #expect(throws: DumpError.self) {
                _ = try await StoreDump.load([good], header: StoreDump.Header(schemaVersion: SQLStore.schemaVersion - 1, dataKeyID: "k1"), into: store)
            }
            let usersAfterRefusals = try await store.users()
            #expect(usersAfterRefusals.isEmpty, "nothing was loaded")
            let loaded = try await StoreDump.load([good], header: header, into: store)
            #expect(loaded == ["users": 1])
            await #expect(throws: DumpError.self) { _ = try await StoreDump.load([good], header: header, into: store) }
        }
    }
}

final class LinesBox: @unchecked Sendable {
    var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
