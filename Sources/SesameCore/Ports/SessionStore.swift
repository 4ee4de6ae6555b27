import Foundation

/// A signed-in browser session. The store knows it only by the digest of its cookie value.
public struct SessionRecord: Sendable, Equatable {
    public var idDigest: String
    public var userID: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var authenticatedAt: Date
    /// How the person proved who they are (RFC 8176 `amr` values): `pwd`, plus `otp`/`mfa`.
    public var authMethods: [String] = ["pwd"]

    public var isMultiFactor: Bool { authMethods.contains("mfa") }

    public init(idDigest: String, userID: String, createdAt: Date, lastSeenAt: Date, authenticatedAt: Date, authMethods: [String] = ["pwd"]) {
        self.authMethods = authMethods
        self.idDigest = idDigest
        self.userID = userID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.authenticatedAt = authenticatedAt
    }
}

public protocol SessionStore: Sendable {
    func insert(_ session: SessionRecord) async throws
    func session(idDigest: String) async throws -> SessionRecord?
    func touch(idDigest: String, at: Date) async throws
    func delete(idDigest: String) async throws
    func deleteSessions(userID: String) async throws
    /// A user's sessions, newest first.
    func sessions(userID: String) async throws -> [SessionRecord]
    /// Removes sessions created before `createdBefore` or idle since before `idleBefore`.
    func deleteExpired(createdBefore: Date, idleBefore: Date) async throws
}
