import Foundation
import Synchronization

@testable import SesameCore

/// A directory in memory that answers as a real one would, and records every call the rules
/// make, so tests can assert on the calls' shape (which binds happened, which filters were sent).
final class FakeDirectory: DirectoryGateway {
    enum Call: Equatable {
        case search(DirectoryQuery, limit: Int)
        case pages(DirectoryQuery, pageSize: Int)
        case bind(dn: String, passwordPolicy: Bool)
        case changePassword(dn: String, method: DirectoryPasswordChange)
    }

    struct State {
        var entries: [DirectoryEntry] = []
        var passwords: [String: String] = [:]
        /// Answers for a bind as that DN with the right password (AD codes, policy controls).
        var bindAnswers: [String: DirectoryBindResult] = [:]
        /// Answers for a bind with a wrong password (AD's 775 comes whatever the password).
        var wrongPasswordAnswers: [String: DirectoryBindResult] = [:]
        var changeAnswer: DirectoryBindResult?
        var unreachable = false
        var calls: [Call] = []
    }

    let server = "ldaps://dc1.test:636"
    let state = Mutex(State())

    var calls: [Call] { state.withLock { $0.calls } }
    func clearCalls() { state.withLock { $0.calls = [] } }
    func edit(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    /// A bind and a search or two are all the same shape whatever the DN: the kinds, in order.
    var callShape: [String] {
        calls.map {
            switch $0 {
            case .search(_, let limit): "search(limit \(limit))"
            case .pages: "pages"
            case .bind(_, let policy): "bind(policy \(policy))"
            case .changePassword: "changePassword"
            }
        }
    }

    func add(_ dn: String, password: String? = nil, _ attributes: [String: [String]], binary: [String: [[UInt8]]] = [:]) {
        var all = attributes.mapValues { $0.map { Array($0.utf8) } }
        for (key, value) in binary { all[key] = value }
        edit {
            $0.entries.removeAll { $0.dn == dn }
            $0.entries.append(DirectoryEntry(dn: dn, attributes: all))
            if let password { $0.passwords[dn.lowercased()] = password }
        }
    }

    func remove(_ dn: String) { edit { $0.entries.removeAll { $0.dn == dn } } }

    func search(_ query: DirectoryQuery, limit: Int) async throws -> DirectoryAnswer<[DirectoryEntry]> {
        let snapshot = try record(.search(query, limit: limit))
        var found = snapshot.entries.filter { Self.matches($0, query) }
        if limit > 0 { found = Array(found.prefix(limit)) }
        return DirectoryAnswer(found, server: server)
    }

    func pages(_ query: DirectoryQuery, pageSize: Int, _ body: ([DirectoryEntry]) async throws -> Void) async throws {
        let snapshot = try record(.pages(query, pageSize: pageSize))
        let found = snapshot.entries.filter { Self.matches($0, query) }
        var start = 0
        while start < found.count {
            try await body(Array(found[start..<min(found.count, start + pageSize)]))
            start += pageSize
        }
    }

    func bind(dn: String, password: String, passwordPolicy: Bool) async throws -> DirectoryAnswer<DirectoryBindResult> {
        let snapshot = try record(.bind(dn: dn, passwordPolicy: passwordPolicy))
        let key = dn.lowercased()
        guard let stored = snapshot.passwords[key], stored == password else {
            let answer = snapshot.wrongPasswordAnswers[key] ?? DirectoryBindResult(resultCode: 49, diagnosticMessage: "")
            return DirectoryAnswer(answer, server: server)
        }
        return DirectoryAnswer(snapshot.bindAnswers[key] ?? DirectoryBindResult(resultCode: 0), server: server)
    }

    func changePassword(dn: String, old: String, new: String, method: DirectoryPasswordChange) async throws -> DirectoryAnswer<DirectoryBindResult> {
        let snapshot = try record(.changePassword(dn: dn, method: method))
        let key = dn.lowercased()
        if let answer = snapshot.changeAnswer { return DirectoryAnswer(answer, server: server) }
        guard snapshot.passwords[key] == old else { return DirectoryAnswer(DirectoryBindResult(resultCode: 49), server: server) }
        edit {
            $0.passwords[key] = new
            $0.bindAnswers[key] = nil
        }
        return DirectoryAnswer(DirectoryBindResult(resultCode: 0), server: server)
    }

    func check() async -> [DirectoryServerHealth] {
        let down = state.withLock { $0.unreachable }
        return [DirectoryServerHealth(server: server, problem: down ? "connection refused" : nil)]
    }

    private func record(_ call: Call) throws -> State {
        try state.withLock { state in
            state.calls.append(call)
            if state.unreachable { throw DirectoryUnavailable("\(server): connection refused") }
            return state
        }
    }

    /// Enough of a filter engine for the templates the rules send: base scope, `(objectClass=*)`,
    /// equality on one attribute, an OR / AND of equalities, AD's IN_CHAIN over `member`.
    static func matches(_ entry: DirectoryEntry, _ query: DirectoryQuery) -> Bool {
        if query.scope == .base { return DirectoryDN.normalized(entry.dn) == DirectoryDN.normalized(query.base) }
        guard DirectoryDN.normalized(entry.dn).hasSuffix(DirectoryDN.normalized(query.base)) else { return false }
        var filter = query.filter
        for (key, value) in query.values { filter = filter.replacingOccurrences(of: "{\(key)}", with: value) }
        return evaluate(Substring(filter), entry)
    }

    static func evaluate(_ filter: Substring, _ entry: DirectoryEntry) -> Bool {
        var inner = filter.dropFirst().dropLast()
        if inner.first == "&" || inner.first == "|" {
            let op = inner.removeFirst()
            let parts = split(inner)
            return op == "&" ? parts.allSatisfy { evaluate($0, entry) } : parts.contains { evaluate($0, entry) }
        }
        guard let eq = inner.firstIndex(of: "=") else { return false }
        let attribute = String(inner[..<eq])
        let value = String(inner[inner.index(after: eq)...])
        if attribute == "member:1.2.840.113556.1.4.1941:" { return false }  // answered by the in-chain helper below
        if value == "*" { return !entry.values(attribute).isEmpty || attribute.lowercased() == "objectclass" }
        if value.hasPrefix("\\") {  // escaped bytes (objectSid)
            let bytes = value.split(separator: "\\").compactMap { UInt8($0, radix: 16) }
            return entry.values(attribute).contains(bytes)
        }
        return entry.strings(attribute).contains {
            $0.lowercased() == value.lowercased() || (value.contains("=") && DirectoryDN.normalized($0) == DirectoryDN.normalized(value))
        }
    }

    static func split(_ list: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = list.startIndex
        for index in list.indices {
            if list[index] == "(" { if depth == 0 { start = index }; depth += 1 }
            if list[index] == ")" { depth -= 1; if depth == 0 { parts.append(list[start...index]) } }
        }
        return parts
    }
}

/// A fake AD that also answers IN_CHAIN: every group holding the DN, however deeply.
final class InChainDirectory: DirectoryGateway {
    let base: FakeDirectory
    init(_ base: FakeDirectory) { self.base = base }

    func search(_ query: DirectoryQuery, limit: Int) async throws -> DirectoryAnswer<[DirectoryEntry]> {
        guard query.filter == DirectoryGroupResolver.inChainFilter, let dn = query.values["dn"] else { return try await base.search(query, limit: limit) }
        _ = try await base.search(query, limit: limit)  // recorded
        let all = base.state.withLock { $0.entries }
        var found: [DirectoryEntry] = []
        var frontier = [DirectoryDN.normalized(dn)]
        var seen = Set(frontier)
        while let next = frontier.popLast() {
            for group in all where group.strings("member").contains(where: { DirectoryDN.normalized($0) == next }) {
                if seen.insert(DirectoryDN.normalized(group.dn)).inserted { found.append(group); frontier.append(DirectoryDN.normalized(group.dn)) }
            }
        }
        return DirectoryAnswer(found, server: base.server)
    }

    func pages(_ query: DirectoryQuery, pageSize: Int, _ body: ([DirectoryEntry]) async throws -> Void) async throws {
        try await base.pages(query, pageSize: pageSize, body)
    }
    func bind(dn: String, password: String, passwordPolicy: Bool) async throws -> DirectoryAnswer<DirectoryBindResult> {
        try await base.bind(dn: dn, password: password, passwordPolicy: passwordPolicy)
    }
    func changePassword(dn: String, old: String, new: String, method: DirectoryPasswordChange) async throws -> DirectoryAnswer<DirectoryBindResult> {
        try await base.changePassword(dn: dn, old: old, new: new, method: method)
    }
    func check() async -> [DirectoryServerHealth] { await base.check() }
}

/// Users, links, directory memberships, sessions, throttling and the audit trail in memory: the
/// user store loads directory memberships with the local ones, as DirectoryStore's contract says.
final class MemoryStores: UserStore, DirectoryStore, SessionStore, ThrottleStore, AuditStore {
    struct State {
        var users: [String: User] = [:]
        var configurations: [String: DirectoryConfiguration] = [:]
        var links: [String: DirectoryLink] = [:]
        var directoryGroups: [String: [String]] = [:]
        var directoryRoles: [String: [String]] = [:]
        var sessions: [String: SessionRecord] = [:]
        var throttle: [String: FailureCount] = [:]
        var events: [AuditEvent] = []
    }

    let state = Mutex(State())
    var events: [AuditEvent] { state.withLock { $0.events } }

    // UserStore
    func insert(_ user: User) async throws {
        try state.withLock { state in
            try Self.checkUnique(user, in: state)
            precondition(state.users[user.id] == nil, "two users with one id")
            state.users[user.id] = user
        }
    }
    func insert(all users: [User]) async throws { for user in users { try await insert(user) } }
    func user(id: String) async throws -> User? { state.withLock { Self.loaded($0.users[id], $0) } }
    func user(username: String) async throws -> User? {
        state.withLock { state in Self.loaded(state.users.values.first { $0.username.lowercased() == username.lowercased() }, state) }
    }
    func user(login: String) async throws -> User? {
        state.withLock { state in
            Self.loaded(state.users.values.first { $0.username.lowercased() == login.lowercased() || $0.email?.lowercased() == login.lowercased() }, state)
        }
    }
    func users() async throws -> [User] { state.withLock { state in state.users.values.compactMap { Self.loaded($0, state) } } }
    func update(_ user: User) async throws {
        try state.withLock { state in
            try Self.checkUnique(user, in: state)
            var local = user
            local.groups = user.groups.filter { !(state.directoryGroups[user.id] ?? []).contains($0.lowercased()) }
            local.roles = user.roles.filter { !(state.directoryRoles[user.id] ?? []).contains($0.lowercased()) }
            state.users[user.id] = local
        }
    }
    func replacePasswordHash(userID: String, old: String, new: String) async throws {}
    func delete(userID: String) async throws -> Bool {
        state.withLock { state in
            state.links[userID] = nil
            return state.users.removeValue(forKey: userID) != nil
        }
    }

    static func checkUnique(_ user: User, in state: State) throws {
        for other in state.users.values where other.id != user.id {
            if other.username.lowercased() == user.username.lowercased() { throw AccountError.duplicateUsername(user.username) }
            if let email = user.email, other.email?.lowercased() == email.lowercased() { throw AccountError.duplicateEmail(email) }
        }
    }

    static func loaded(_ user: User?, _ state: State) -> User? {
        guard var user else { return nil }
        user.groups = Array(Set(user.groups.map { $0.lowercased() } + (state.directoryGroups[user.id] ?? []))).sorted()
        user.roles = Array(Set(user.roles.map { $0.lowercased() } + (state.directoryRoles[user.id] ?? []))).sorted()
        return user
    }

    // DirectoryStore
    func directories() async throws -> [DirectoryConfiguration] {
        state.withLock { $0.configurations.values.sorted { ($0.position, $0.name) < ($1.position, $1.name) } }
    }
    func directory(name: String) async throws -> DirectoryConfiguration? { state.withLock { $0.configurations[name] } }
    func insert(_ configuration: DirectoryConfiguration) async throws {
        try state.withLock { state in
            guard state.configurations[configuration.name] == nil else { throw DirectoryConfigurationError.duplicate(configuration.name) }
            state.configurations[configuration.name] = configuration
        }
    }
    func update(_ configuration: DirectoryConfiguration) async throws {
        try state.withLock { state in
            guard state.configurations[configuration.name] != nil else { throw DirectoryConfigurationError.unknown(configuration.name) }
            state.configurations[configuration.name] = configuration
        }
    }
    func deleteDirectory(name: String) async throws -> Bool { state.withLock { $0.configurations.removeValue(forKey: name) != nil } }
    func link(directory: String, immutableID: String) async throws -> DirectoryLink? {
        state.withLock { $0.links.values.first { $0.directory == directory && $0.immutableID == immutableID } }
    }
    func link(userID: String) async throws -> DirectoryLink? { state.withLock { $0.links[userID] } }
    func links(directory: String) async throws -> [DirectoryLink] { state.withLock { $0.links.values.filter { $0.directory == directory } } }
    func saveLink(_ link: DirectoryLink) async throws { state.withLock { $0.links[link.userID] = link } }
    func setDirectoryMemberships(userID: String, groups: [String], roles: [String]) async throws {
        state.withLock {
            $0.directoryGroups[userID] = Array(Set(groups.map { $0.lowercased() })).sorted()
            $0.directoryRoles[userID] = Array(Set(roles.map { $0.lowercased() })).sorted()
        }
    }
    func directoryMemberships(userID: String) async throws -> (groups: [String], roles: [String]) {
        state.withLock { ($0.directoryGroups[userID] ?? [], $0.directoryRoles[userID] ?? []) }
    }

    // SessionStore
    func insert(_ session: SessionRecord) async throws { state.withLock { $0.sessions[session.idDigest] = session } }
    func session(idDigest: String) async throws -> SessionRecord? { state.withLock { $0.sessions[idDigest] } }
    func touch(idDigest: String, at: Date) async throws {}
    func delete(idDigest: String) async throws { state.withLock { $0.sessions[idDigest] = nil } }
    func endSession(idDigest: String, at: Date, includingOfflineAccess: Bool) async throws { state.withLock { $0.sessions[idDigest] = nil } }
    func deleteSessions(userID: String) async throws { state.withLock { $0.sessions = $0.sessions.filter { $0.value.userID != userID } } }
    func recordClient(_ clientID: String, sessionID: String, at: Date) async throws {}
    func clientIDs(sessionID: String) async throws -> [String] { [] }
    func sessions(userID: String) async throws -> [SessionRecord] { state.withLock { $0.sessions.values.filter { $0.userID == userID } } }
    func deleteExpired(createdBefore: Date, idleBefore: Date) async throws {}

    // ThrottleStore: counts, never old enough to forget within a test.
    func failures(key: String) async throws -> FailureCount? { state.withLock { $0.throttle[key] } }
    func countAttempt(key: String, at: Date, forgetBefore: Date) async throws -> CountedAttempt {
        state.withLock { state in
            let before = state.throttle[key]
            let count = FailureCount(failures: (before?.failures ?? 0) + 1, lastFailureAt: at)
            state.throttle[key] = count
            return CountedAttempt(count: count, previousFailureAt: before?.lastFailureAt)
        }
    }
    func uncountAttempt(key: String) async throws {
        state.withLock { state in
            guard let count = state.throttle[key] else { return }
            state.throttle[key] = count.failures <= 1 ? nil : FailureCount(failures: count.failures - 1, lastFailureAt: count.lastFailureAt)
        }
    }
    func markFailure(key: String, at: Date) async throws {}
    func reset(key: String) async throws { state.withLock { $0.throttle[key] = nil } }
    func purgeFailures(before date: Date) async throws -> Int { 0 }

    // AuditStore
    func append(_ events: [AuditEvent]) async throws { state.withLock { $0.events += events } }
    func auditChain(afterID: Int, limit: Int) async throws -> [ChainedAuditEvent] { [] }
    func auditChainAnchor() async throws -> AuditChainAnchor? { nil }
    func auditEvents(_ query: AuditQuery) async throws -> [ChainedAuditEvent] { [] }
}

struct FixedClock: WallClock {
    var date = Date(timeIntervalSince1970: 1_800_000_000)
    func now() -> Date { date }
}

/// Counts up, so ids differ and tests repeat exactly.
final class CountingRandom: RandomSource {
    let next = Mutex<UInt64>(0)
    func bytes(_ count: Int) -> [UInt8] {
        next.withLock { counter in
            counter += 1
            return (0..<count).map { UInt8(truncatingIfNeeded: counter >> (8 * UInt64($0 % 8))) }
        }
    }
}

/// A directory world: the fake, the stores, and the directory's configuration.
struct DirectoryWorld {
    let directory = FakeDirectory()
    let stores = MemoryStores()
    /// One for the world, so users made by different services never share an id.
    let random = CountingRandom()
    let audit: AuditTrail
    var configuration: DirectoryConfiguration
    var gateway: any DirectoryGateway

    init(profile: DirectoryProfile = .openLDAP, _ edit: (inout DirectoryConfiguration) -> Void = { _ in }) {
        configuration = DirectoryConfiguration(
            name: "corp", urls: ["ldaps://dc1.test"], bindDN: "cn=svc,dc=corp,dc=test", bindPassword: "svc-secret", baseDN: "dc=corp,dc=test",
            profile: profile
        )
        edit(&configuration)
        audit = AuditTrail(store: stores, clock: FixedClock())
        gateway = directory
    }

    var authenticator: DirectoryAuthenticator {
        DirectoryAuthenticator(configuration: configuration, gateway: gateway, users: stores, directories: stores, clock: FixedClock(), random: random)
    }

    /// The sign-in service with the given authenticators (this directory's alone by default).
    func service(_ authenticators: [any PrimaryAuthenticator]? = nil) -> SignInService {
        var service = SignInService(users: stores, throttle: stores, authenticators: authenticators ?? [authenticator], clock: FixedClock())
        service.audit = audit
        return service
    }

    /// The audit events recorded so far.
    func events() async throws -> [AuditEvent] {
        try await audit.flush()
        return stores.events
    }
}

/// Runs the work inline and counts it (each password hash, real or dummy, is one run).
final class CountingWork: BlockingWork {
    private let counter = Mutex(0)
    var runs: Int { counter.withLock { $0 } }
    func reset() { counter.withLock { $0 = 0 } }
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        counter.withLock { $0 += 1 }
        return try work()
    }
}
