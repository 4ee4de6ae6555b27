import Foundation
import SesameCore
import SesameSQL
import Testing

@Suite struct DirectoryStoreTests {
    @Test(arguments: StoreKind.allCases)
    func directoriesAreKeptInPositionOrderWithTheirSealedPassword(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            let corp = StoredDirectory(name: "corp", position: 2, configuration: #"{"a":1}"#, sealedBindPassword: [1, 2, 3], createdAt: t0, updatedAt: t0)
            try await a.insertDirectory(corp)
            try await a.insertDirectory(StoredDirectory(name: "lab", position: 1, configuration: "{}", sealedBindPassword: [9], createdAt: t0, updatedAt: t0))
            await #expect(throws: DuplicateDirectory(name: "corp")) { try await b.insertDirectory(corp) }
            #expect(try await b.storedDirectories().map(\.name) == ["lab", "corp"])
            #expect(try await b.storedDirectory(name: "corp") == corp)

            var moved = corp
            moved.position = 0
            moved.sealedBindPassword = [4, 5]
            moved.updatedAt = t0.addingTimeInterval(60)
            #expect(try await b.updateDirectory(moved))
            #expect(try await a.storedDirectories().map(\.name) == ["corp", "lab"])
            #expect(try await a.storedDirectory(name: "corp") == moved)
            var ghost = moved
            ghost.name = "ghost"
            #expect(try await !a.updateDirectory(ghost))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLinkFindsItsUserAndAnEntryLinksToOneUserOnly(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            let (kim, lee) = (makeUser("kim", hash: ""), makeUser("lee", hash: ""))
            try await a.insert(all: [kim, lee])
            let link = DirectoryLink(userID: kim.id, directory: "corp", immutableID: "guid-1", dn: "uid=kim,dc=example", lastSeenAt: t0)
            try await a.saveLink(link)
            #expect(try await b.linkedUser(directory: "corp", immutableID: "guid-1")?.username == "kim")
            #expect(try await b.linkedUser(directory: "lab", immutableID: "guid-1") == nil)
            await #expect(throws: DuplicateDirectoryLink(directory: "corp", immutableID: "guid-1")) {
                try await b.saveLink(DirectoryLink(userID: lee.id, directory: "corp", immutableID: "guid-1", dn: "x", lastSeenAt: t0))
            }

            // A rename in the directory keeps the link (same immutable id), with the new DN.
            var renamed = link
            renamed.dn = "uid=kim2,dc=example"
            renamed.lastSeenAt = t0.addingTimeInterval(5)
            try await b.saveLink(renamed)
            #expect(try await a.link(userID: kim.id) == renamed)
            #expect(try await a.links(directory: "corp") == [renamed])

            // Deleting the user removes the link; removing the directory keeps the rest, so adding it again finds its people.
            try await a.saveLink(DirectoryLink(userID: lee.id, directory: "corp", immutableID: "guid-2", dn: "uid=lee", lastSeenAt: t0))
            #expect(try await b.delete(userID: lee.id))
            #expect(try await a.links(directory: "corp").map(\.immutableID) == ["guid-1"])
            #expect(try await a.link(directory: "corp", immutableID: "guid-2") == nil)
            try await a.insertDirectory(StoredDirectory(name: "corp", position: 0, configuration: "{}", sealedBindPassword: [1], createdAt: t0, updatedAt: t0))
            try await a.setDirectoryMemberships(userID: kim.id, groups: ["staff"], roles: ["reader"], at: t0)
            #expect(try await b.deleteDirectory(name: "corp"))
            #expect(try await a.link(directory: "corp", immutableID: "guid-1") == renamed)
            let after = try #require(try await a.user(id: kim.id))
            #expect(after.groups == ["staff"] && after.roles == ["reader"])
            #expect(try await !b.deleteDirectory(name: "corp"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theBindPasswordIsSealedWithTheDataKeyAndBoundToTheDirectory(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let key = DataKey(bytes: Array(repeating: 7, count: 32))!
            let directories = SealedDirectoryStore(store: store, sealer: key.sealer)
            var corp = DirectoryConfiguration(
                name: "corp", urls: ["ldaps://dc1.example.com"], bindDN: "cn=svc,dc=example,dc=com", bindPassword: "s3cret-bind-pässword",
                baseDN: "dc=example,dc=com", profile: .activeDirectory, groupRules: [DirectoryGroupRule(match: "cn=staff", roles: ["staff"])], position: 3
            )
            try await directories.insert(corp)
            await #expect(throws: DirectoryConfigurationError.duplicate("corp")) { try await directories.insert(corp) }
            #expect(try await directories.directory(name: "corp") == corp)
            let row = try #require(try await store.storedDirectory(name: "corp"))
            #expect(!row.configuration.contains("s3cret"), "the JSON never holds the bind password")
            #expect(!String(decoding: row.sealedBindPassword, as: UTF8.self).contains("s3cret"))
            #expect(row.position == 3)

            corp.bindPassword = "another"
            corp.position = 1
            try await directories.update(corp)
            #expect(try await directories.directories() == [corp])
            var ghost = corp
            ghost.name = "ghost"
            await #expect(throws: DirectoryConfigurationError.unknown("ghost")) { try await directories.update(ghost) }

            // Another data key cannot open it, and a sealed password moved to another row does not open there.
            let other = SealedDirectoryStore(store: store, sealer: DataKey(bytes: Array(repeating: 8, count: 32))!.sealer)
            await #expect(throws: KeyError.self) { _ = try await other.directories() }
            try await store.insertDirectory(StoredDirectory(name: "lab", position: 9, configuration: row.configuration.replacingOccurrences(of: "\"corp\"", with: "\"lab\""), sealedBindPassword: row.sealedBindPassword, createdAt: t0, updatedAt: t0))
            await #expect(throws: KeyError.self) { _ = try await directories.directory(name: "lab") }
        }
    }

    /// Policies, claims and CAS attributes read `User`: directory memberships must be in it
    /// exactly as local ones, and an admin's edit of the local ones must not make them local.
    @Test(arguments: StoreKind.allCases)
    func directoryMembershipsAreLoadedLikeLocalOnesAndStayApart(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            try await a.insert(Role(name: "wiki:editor", permissions: ["pages:edit"], createdAt: t0))
            try await a.insert(Group(name: "editors", roles: ["wiki:editor"], createdAt: t0))
            var kim = makeUser("kim", hash: "")
            kim.roles = ["local-role"]
            kim.groups = ["both"]
            try await a.insert(kim)
            try await b.setDirectoryMemberships(userID: kim.id, groups: ["Editors", "both", "Wiki Users"], roles: ["Reader"], at: t0)

            let loaded = try #require(try await a.user(id: kim.id))
            #expect(loaded.groups == ["both", "editors", "wiki users"])
            #expect(loaded.roles == ["local-role", "reader"])
            #expect(loaded.inheritedRoles == ["wiki:editor"])
            #expect(loaded.permissions == ["wiki:editor": ["pages:edit"]])
            #expect(try await b.users().first { $0.id == kim.id } == loaded, "a list loads the same as one user")
            #expect(try await b.user(login: "kim") == loaded)
            #expect(try await b.group(name: "editors")?.members == ["kim"])
            #expect(try await b.roles().map(\.name).contains("reader"), "a role a rule gives exists")

            // An admin's edit writes back the loaded user: only local memberships stay local.
            var edited = loaded
            edited.name = "Kim"
            edited.groups.append("local-extra")
            try await b.update(edited)
            try await a.setDirectoryMemberships(userID: kim.id, groups: [], roles: [], at: t0)
            let afterSync = try #require(try await b.user(id: kim.id))
            #expect(afterSync.groups == ["both", "local-extra"], "a group given both ways stays local; directory-only ones go with the directory")
            #expect(afterSync.roles == ["local-role"])
            #expect(afterSync.inheritedRoles == [] && afterSync.permissions == [:])
            let left = try await a.directoryMemberships(userID: kim.id)
            #expect(left.groups.isEmpty && left.roles.isEmpty)

            // Deleting a group or role takes it from directory memberships too.
            try await a.setDirectoryMemberships(userID: kim.id, groups: ["editors"], roles: ["reader"], at: t0)
            #expect(try await b.deleteGroup(name: "editors"))
            #expect(try await b.deleteRole(name: "reader"))
            #expect(try await a.user(id: kim.id)?.groups == ["both", "local-extra"])
            #expect(try await a.user(id: kim.id)?.roles == ["local-role"])
        }
    }
}
