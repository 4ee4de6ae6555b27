import Foundation
import SesameCore
import SesameSQL
import Testing

/// A person without a local password: stored as the empty-string marker (the column stays NOT
/// NULL), read back as nil, on both stores and through export and import.
@Suite struct PasswordlessUserStoreTests {
    @Test(arguments: StoreKind.allCases)
    func noPasswordReadsBackAsNilAndCanBeGivenOne(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var user = User(id: "np1", username: "nopw", email: nil, name: nil, passwordHash: nil, createdAt: t0, updatedAt: t0)
            try await store.insert(user)
            #expect(try await store.user(login: "nopw")?.passwordHash == nil)
            user.name = "No Password"
            try await store.update(user)
            #expect(try await store.user(id: "np1")?.passwordHash == nil, "an update keeps it without one")
            user.passwordHash = "$scrypt$given"
            try await store.update(user)
            #expect(try await store.user(id: "np1")?.passwordHash == "$scrypt$given")
        }
    }

    @Test func exportAndImportKeepAPersonWithoutAPassword() async throws {
        try await withStore(.sqlite) { source in
            try await source.insert(User(id: "np2", username: "nopw", email: nil, name: nil, passwordHash: nil, createdAt: t0, updatedAt: t0))
            let lines = LinesBox()
            try await StoreDump.export(source, dataKeyID: "k1") { lines.append($0) }
            let header = try StoreDump.header(lines.lines[0])
            try await withStore(.sqlite) { target in
                _ = try await StoreDump.load(Array(lines.lines.dropFirst()), header: header, into: target)
                let loaded = try #require(try await target.user(username: "nopw"))
                #expect(loaded.passwordHash == nil)
            }
        }
    }
}
