import Foundation
import SesameCore
import SesameSQL
import Testing

@Suite struct AccessStoreTests {
    @Test(arguments: StoreKind.allCases)
    func rolesGroupsPermissionsAndWhatAUserEndsUpWith(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            try await a.insert(Role(name: "Docs:Editor", description: "edits", permissions: ["articles:publish"], createdAt: t0))
            await #expect(throws: AccessError.duplicateRole("docs:editor")) { try await b.insert(Role(name: "docs:editor", createdAt: t0)) }
            try await a.insert(Role(name: "admin", createdAt: t0))
            try await b.setPermission("articles:delete", role: "docs:editor", granted: true)
            try await b.setPermission("articles:delete", role: "docs:editor", granted: true)
            await #expect(throws: AccessError.unknownRole("nope")) { try await a.setPermission("x", role: "nope", granted: true) }
            #expect(try await a.role(name: "DOCS:editor")?.permissions == ["articles:delete", "articles:publish"])

            try await a.insert(Group(name: "Editors", roles: ["docs:editor"], createdAt: t0))
            await #expect(throws: AccessError.duplicateGroup("editors")) { try await b.insert(Group(name: "editors", createdAt: t0)) }
            await #expect(throws: AccessError.unknownRole("ghost")) { try await a.insert(Group(name: "g2", roles: ["ghost"], createdAt: t0)) }
            #expect(try await a.group(name: "g2") == nil, "a refused group leaves nothing behind")

            var user = makeUser("uma")
            user.roles = ["Staff"]  // created on the fly, as an import does
            try await a.insert(user)
            try await b.setMember(userID: user.id, group: "editors", member: true)
            try await b.setRole("admin", userID: user.id, granted: true)
            await #expect(throws: AccessError.unknownGroup("nope")) { try await a.setMember(userID: user.id, group: "nope", member: true) }

            let loaded = try #require(try await a.user(id: user.id))
            #expect(loaded.roles == ["admin", "staff"])
            #expect(loaded.groups == ["editors"])
            #expect(loaded.inheritedRoles == ["docs:editor"])
            #expect(loaded.effectiveRoles == ["admin", "docs:editor", "staff"])
            #expect(loaded.permissions == ["docs:editor": ["articles:delete", "articles:publish"]])
            #expect(loaded.access(for: "docs") == AppAccess(roles: ["admin", "editor", "staff"], groups: ["editors"], permissions: ["articles:delete", "articles:publish"]))
            #expect(loaded.access(for: "wiki").roles == ["admin", "staff"])
            #expect(try await b.roles().map(\.name) == ["admin", "docs:editor", "staff"])
            #expect(try await b.group(name: "editors")?.members == ["uma"])

            // A role held directly and through a group counts once; a list of users gives each their own.
            var vic = makeUser("vic")
            vic.roles = ["Docs:Editor"]
            try await a.insert(vic)
            try await b.setMember(userID: vic.id, group: "editors", member: true)
            let everyone = try await b.users()
            let loadedVic = try #require(everyone.first { $0.username == "vic" })
            #expect(loadedVic.roles == ["docs:editor"] && loadedVic.inheritedRoles == ["docs:editor"] && loadedVic.groups == ["editors"])
            #expect(loadedVic.permissions == ["docs:editor": ["articles:delete", "articles:publish"]])
            #expect(everyone.first { $0.username == "uma" }?.roles == ["admin", "staff"])
            #expect(everyone.first { $0.username == "uma" }?.permissions == loaded.permissions)
            try await a.setMember(userID: vic.id, group: "editors", member: false)

            // Deleting a role takes it from everyone; deleting a group empties it.
            #expect(try await b.deleteRole(name: "docs:editor"))
            #expect(try await a.user(id: user.id)?.inheritedRoles == [])
            #expect(try await a.group(name: "editors")?.roles == [])
            #expect(try await b.deleteGroup(name: "editors"))
            #expect(try await a.user(id: user.id)?.groups == [])
            #expect(try await !b.deleteGroup(name: "editors"))
            try await a.setRole("admin", userID: user.id, granted: false)
            #expect(try await b.user(id: user.id)?.roles == ["staff"])
        }
    }
}
