import Foundation
import SesameCore
import SesameSQL
import Testing

/// What a session handed out ends with it: refresh tokens and CAS proxy-granting tickets must not
/// outlive sign-out, password change, disabling or an admin's revocation (issue 13, point 9).
@Suite struct SessionRevocationStoreTests {
    func session(_ digest: String, user: User) -> SessionRecord {
        SessionRecord(idDigest: digest, userID: user.id, createdAt: t0, lastSeenAt: t0, authenticatedAt: t0)
    }

    func refresh(_ digest: String, family: String, user: User, sid: String, scope: String = "openid") -> RefreshTokenRecord {
        RefreshTokenRecord(
            digest: digest, familyID: family, clientID: "c", userID: user.id, scope: scope, sessionID: sid, authTime: t0,
            createdAt: t0, expiresAt: t0.addingTimeInterval(86400)
        )
    }

    func ticket(_ digest: String, kind: String, user: User, sid: String?) -> CASTicketRecord {
        CASTicketRecord(
            digest: digest, kind: kind, service: "https://app.example/", serviceID: "s", userID: user.id, sessionID: sid, fromNewLogin: false,
            renew: false, authTime: t0, authMethods: ["pwd"], createdAt: t0, expiresAt: t0.addingTimeInterval(7200), sealedTicket: [1, 2, 3]
        )
    }

    @Test(arguments: StoreKind.allCases)
    func signingOutRevokesTheSessionsRefreshTokensAndProxyGrantingTickets(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = makeUser("rita")
            try await store.insert(user)
            let (one, other) = (session("d1", user: user), session("d2", user: user))
            try await store.insert(one)
            try await store.insert(other)
            try await store.insert(refresh("r1", family: "f1", user: user, sid: one.sid))
            try await store.insert(refresh("r2", family: "f2", user: user, sid: one.sid, scope: "openid offline_access"))
            try await store.insert(refresh("r3", family: "f3", user: user, sid: other.sid))
            for record in [ticket("st", kind: "ST", user: user, sid: one.sid), ticket("pgt1", kind: "PGT", user: user, sid: one.sid),
                           ticket("pgt2", kind: "PGT", user: user, sid: other.sid)] {
                try await store.insert(record)
            }

            try await store.endSession(idDigest: "d1", at: t0.addingTimeInterval(10), includingOfflineAccess: false)

            #expect(try await store.session(idDigest: "d1") == nil)
            #expect(try await store.isFamilyRevoked("f1"), "the session's refresh token")
            #expect(try await store.refreshToken(digest: "r1")?.usedAt != nil)
            #expect(try await !store.isFamilyRevoked("f2"), "offline_access is meant to outlive the session")
            #expect(try await !store.isFamilyRevoked("f3"), "another session's token")
            #expect(try await store.casTicket(digest: "pgt1") == nil, "the session's proxy-granting ticket")
            #expect(try await store.casTicket(digest: "pgt2") != nil)
            #expect(try await store.casTickets(sessionID: one.sid).map(\.digest) == ["st"], "service tickets stay for single log-out")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAdministratorsRevocationOfOneSessionEndsItsOfflineAccessToo(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = makeUser("otto")
            try await store.insert(user)
            let (one, other) = (session("d1", user: user), session("d2", user: user))
            try await store.insert(one)
            try await store.insert(other)
            try await store.insert(refresh("r1", family: "f1", user: user, sid: one.sid, scope: "openid offline_access"))
            try await store.insert(refresh("r2", family: "f2", user: user, sid: other.sid, scope: "openid offline_access"))
            try await store.endSession(idDigest: "d1", at: t0, includingOfflineAccess: true)
            #expect(try await store.isFamilyRevoked("f1"))
            #expect(try await !store.isFamilyRevoked("f2"))
            #expect(try await store.session(idDigest: "d2") != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func revokingAllOfAUsersSessionsRevokesEveryRefreshTokenAndProxyGrantingTicket(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (user, bystander) = (makeUser("rob"), makeUser("bea"))
            try await store.insert(user)
            try await store.insert(bystander)
            let mine = session("d1", user: user)
            try await store.insert(mine)
            try await store.insert(refresh("r1", family: "f1", user: user, sid: mine.sid))
            try await store.insert(refresh("r2", family: "f2", user: user, sid: "gone", scope: "openid offline_access"))
            try await store.insert(refresh("r3", family: "f3", user: bystander, sid: "theirs"))
            try await store.insert(ticket("pgt1", kind: "PGT", user: user, sid: mine.sid))
            try await store.insert(ticket("pgt2", kind: "PGT", user: user, sid: nil))
            try await store.insert(ticket("pgt3", kind: "PGT", user: bystander, sid: "theirs"))

            try await store.deleteSessions(userID: user.id)

            #expect(try await store.sessions(userID: user.id).isEmpty)
            #expect(try await store.isFamilyRevoked("f1"))
            #expect(try await store.isFamilyRevoked("f2"), "a password change or disabling ends offline access too")
            #expect(try await !store.isFamilyRevoked("f3"))
            #expect(try await store.casTicket(digest: "pgt1") == nil)
            #expect(try await store.casTicket(digest: "pgt2") == nil)
            #expect(try await store.casTicket(digest: "pgt3") != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSessionRemembersTheClientsItSignedInToUntilItEnds(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = makeUser("cleo")
            try await store.insert(user)
            let one = session("d1", user: user)
            try await store.insert(one)
            try await store.recordClient("docs", sessionID: one.sid, at: t0)
            try await store.recordClient("docs", sessionID: one.sid, at: t0.addingTimeInterval(1))
            try await store.recordClient("wiki", sessionID: one.sid, at: t0)
            try await store.recordClient("mail", sessionID: "another", at: t0)
            #expect(Set(try await store.clientIDs(sessionID: one.sid)) == ["docs", "wiki"])
            try await store.endSession(idDigest: "d1", at: t0, includingOfflineAccess: false)
            #expect(try await store.clientIDs(sessionID: one.sid).isEmpty)
            #expect(try await store.clientIDs(sessionID: "another") == ["mail"])
        }
    }
}
