import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite

@Suite struct AccountServiceTests {
    /// Counts the work handed to it, and runs it.
    final class CountingWork: BlockingWork, @unchecked Sendable {
        private let lock = NSLock()
        private var runs = 0
        var count: Int { lock.withLock { runs } }
        func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
            lock.withLock { runs += 1 }
            return try work()
        }
    }

    /// Every password hash goes through the service's `work` (the server's hashing threads), never
    /// inline on the caller's thread.
    @Test func passwordsAreHashedThroughTheGivenWork() async throws {
        try await withStore { store, _ in
            var accounts = AccountService(users: store, sessions: store, hasher: fastHasher)
            let work = CountingWork()
            accounts.work = work
            try await accounts.addUser(username: "ann", email: nil, name: nil, password: "ann-password")
            try await accounts.addUser(username: "ldap-only", email: nil, name: nil, password: nil)
            #expect(work.count == 1)
            try await accounts.setPassword(username: "ann", password: "ann-password-2")
            #expect(work.count == 2)
            let stored = try fastHasher.hash("kept-as-is")
            _ = try await accounts.importUsers(try UsersFile(parsing: "bo:bo-password\ncy:\(stored)\n"))
            #expect(work.count == 3)
            #expect(fastHasher.verify("ann-password-2", against: try await store.user(username: "ann")!.passwordHash ?? ""))
            #expect(fastHasher.verify("bo-password", against: try await store.user(username: "bo")!.passwordHash ?? ""))
            #expect(try await store.user(username: "cy")!.passwordHash == stored)
        }
    }

    @Test func importIsAllOrNothingAgainstExistingUsers() async throws {
        try await withStore { store, _ in
            let accounts = AccountService(users: store, sessions: store, hasher: fastHasher)
            try await accounts.addUser(username: "carol", email: nil, name: nil, password: "carol-password")
            let file = try UsersFile(parsing: "alice:alice-pw:staff\nbob:bob-pass\ncarol:carol-pw\n")
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
            await #expect(throws: AccountError.weakPassword) { try await accounts.addUser(username: "a", email: nil, name: nil, password: "7-chars") }
            let tooLong = String(repeating: "x", count: 1025)
            await #expect(throws: AccountError.weakPassword) { try await accounts.addUser(username: "a", email: nil, name: nil, password: tooLong) }
            await #expect(throws: AccountError.invalidEmail("x")) { try await accounts.addUser(username: "a", email: "x", name: nil, password: "8-chars!") }
            await #expect(throws: AccountError.unknownUser("ghost")) { try await accounts.setPassword(username: "ghost", password: "8-chars!") }
            await #expect(throws: AccountError.unknownUser("ghost")) { try await accounts.deleteUser(username: "ghost") }
            let users = try await store.users()
            #expect(users.isEmpty)
            try await accounts.addUser(username: "eve", email: nil, name: nil, password: "8-chars!")
            await #expect(throws: AccountError.weakPassword) { try await accounts.setPassword(username: "eve", password: "short") }
            #expect(fastHasher.verify("8-chars!", against: try await store.user(username: "eve")!.passwordHash ?? ""), "the old password stays")
        }
    }

    @Test func passwordChangeAndDisableEndSessions() async throws {
        try await withStore { store, _ in
            let clock = ManualClock()
            let accounts = AccountService(users: store, sessions: store, hasher: fastHasher, clock: clock)
            let sessions = SessionService(store: store, settings: SessionSettings(), clock: clock)
            let user = try await accounts.addUser(username: "dan", email: nil, name: nil, password: "first-password")
            let first = try await sessions.start(userID: user.id)
            try await accounts.setPassword(username: "dan", password: "second-password")
            #expect(try await sessions.resume(cookieValue: first.cookieValue) == nil)
            let second = try await sessions.start(userID: user.id)
            try await accounts.setDisabled(username: "dan", true)
            #expect(try await sessions.resume(cookieValue: second.cookieValue) == nil)
            #expect(fastHasher.verify("second-password", against: try await store.user(id: user.id)!.passwordHash ?? ""))
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
