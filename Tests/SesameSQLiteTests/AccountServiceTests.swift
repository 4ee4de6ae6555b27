import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite

@Suite struct AccountServiceTests {
    @Test func importIsAllOrNothingAgainstExistingUsers() async throws {
        try await withStore { store, _ in
            let accounts = AccountService(users: store, sessions: store, hasher: fastHasher)
            try await accounts.addUser(username: "carol", email: nil, name: nil, password: "pw")
            let file = try UsersFile(parsing: "alice:pw1:staff\nbob:pw2\ncarol:pw3\n")
            await #expect(throws: AccountError.invalidImportLine(3, "a user named 'carol' already exists")) {
                _ = try await accounts.importUsers(file)
            }
            #expect(try await store.users().map(\.username) == ["carol"])
        }
    }

    @Test func badInputIsRefusedWithAClearError() async throws {
        try await withStore { store, _ in
            let accounts = AccountService(users: store, sessions: store, hasher: fastHasher)
            await #expect(throws: AccountError.emptyPassword) { try await accounts.addUser(username: "a", email: nil, name: nil, password: "") }
            await #expect(throws: AccountError.invalidEmail("x")) { try await accounts.addUser(username: "a", email: "x", name: nil, password: "p") }
            await #expect(throws: AccountError.unknownUser("ghost")) { try await accounts.setPassword(username: "ghost", password: "p") }
            await #expect(throws: AccountError.unknownUser("ghost")) { try await accounts.deleteUser(username: "ghost") }
            let users = try await store.users()
            #expect(users.isEmpty)
        }
    }

    @Test func passwordChangeAndDisableEndSessions() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let accounts = AccountService(users: store, sessions: store, hasher: fastHasher, clock: clock)
            let sessions = SessionService(store: store, settings: SessionSettings(), clock: clock)
            let user = try await accounts.addUser(username: "dan", email: nil, name: nil, password: "one")
            let first = try await sessions.start(userID: user.id)
            try await accounts.setPassword(username: "dan", password: "two")
            #expect(try await sessions.resume(cookieValue: first.cookieValue) == nil)
            let second = try await sessions.start(userID: user.id)
            try await accounts.setDisabled(username: "dan", true)
            #expect(try await sessions.resume(cookieValue: second.cookieValue) == nil)
            #expect(fastHasher.verify("two", against: try await store.user(id: user.id)!.passwordHash))
        }
    }
}

@Suite struct SessionServiceTests {
    @Test func sessionsEndWhenIdleOrTooOld() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let user = makeUser("eve")
            try await store.insert(user)
            let sessions = SessionService(store: store, settings: SessionSettings(idleTimeout: 600, absoluteLifetime: 2400), clock: clock)
            let started = try await sessions.start(userID: user.id)
            #expect(started.session.idDigest != started.cookieValue, "only the digest is stored")
            #expect(try await store.session(idDigest: started.cookieValue) == nil)

            clock.advance(599)
            #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil)
            clock.advance(599)
            #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil, "use keeps it alive")
            clock.advance(599)
            #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil)
            clock.advance(599)  // 2396 s after start, used every 599 s
            #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil)
            clock.advance(10)  // past the absolute lifetime
            #expect(try await sessions.resume(cookieValue: started.cookieValue) == nil)

            let idle = try await sessions.start(userID: user.id)
            clock.advance(600)
            #expect(try await sessions.resume(cookieValue: idle.cookieValue) == nil)
            #expect(try await sessions.resume(cookieValue: "made-up") == nil)
        }
    }
}
