import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite

/// The user operations both doors call: one typed audit event each, named for the typed actor.
@Suite struct UserManagementTests {
    /// Runs `body` with an account service acting as `actor`, then returns the events it recorded.
    func recorded(as actor: ManagementActor, _ body: (AccountService, SQLStore) async throws -> Void) async throws -> [AuditEvent] {
        try await withStore { store, _ in
            let audit = AuditTrail(store: store)
            var accounts = AccountService(users: store, sessions: store, hasher: fastHasher)
            accounts.audit = audit
            accounts.actor = actor
            accounts.twoFactor = store
            try await body(accounts, store)
            try await audit.flush()
            return try await store.auditEvents(AuditQuery(limit: 1000)).map(\.event)
        }
    }

    @Test func disablingIsRecordedAsUserDisabledWhateverElseChanges() async throws {
        let events = try await recorded(as: .apiClient(clientID: "bot")) { accounts, _ in
            try await accounts.addUser(username: "dora", email: nil, name: nil, password: "dora-password")
            try await accounts.updateUser(username: "dora", email: .some("dora@example.com"), name: nil)
            try await accounts.setDisabled(username: "dora", true)
        }
        #expect(events.map(\.type) == ["user.created", "user.updated", "user.disabled", "sessions.revoked"])
        #expect(events.allSatisfy { $0.actor == "client:bot" })
        #expect(events[1].detail == #"{"email":{"after":"dora@example.com","before":null}}"#)
        #expect(events[2].detail == #"{"disabled":{"after":"true","before":"false"}}"#)
    }

    @Test func resettingTheSecondFactorEndsSessionsOnTheAuditTrail() async throws {
        let events = try await recorded(as: .cli) { accounts, store in
            let user = try await accounts.addUser(username: "rex", email: nil, name: nil, password: "rex-password")
            try await accounts.setTwoFactorRequired(username: "rex", true)
            try await accounts.resetTwoFactor(username: "rex")
            #expect(try await store.sessions(userID: user.id).isEmpty)
        }
        #expect(events.map(\.type) == ["user.created", "two_factor.required", "two_factor.reset", "sessions.revoked"])
        #expect(events.allSatisfy { $0.actor == "cli" })
    }

    @Test func anUpdateThatChangesNothingRecordsNothing() async throws {
        let events = try await recorded(as: .adminUser(userID: "u1")) { accounts, _ in
            try await accounts.addUser(username: "ned", email: "ned@example.com", name: nil, password: "ned-password")
            try await accounts.updateUser(username: "ned", email: .some("ned@example.com"), name: nil)
        }
        #expect(events.map(\.type) == ["user.created"])
        #expect(events[0].actor == "user:u1")
    }

    @Test func aRoleRequirementUsesTheOneNameRule() async throws {
        let events = try await recorded(as: .cli) { accounts, store in
            await #expect(throws: AccessError.invalidName(what: "role", name: "ops+1")) { try await accounts.setTwoFactorRequired(role: "ops+1", true) }
            try await accounts.setTwoFactorRequired(role: "Ops", true)
            #expect(try await store.rolesRequiringTwoFactor() == ["ops"])
        }
        #expect(events.map(\.type) == ["two_factor.role_required"])
        #expect(events[0].detail == "ops")
    }
}
