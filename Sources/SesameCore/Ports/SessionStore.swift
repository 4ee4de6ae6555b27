import Foundation

/// A signed-in browser session. The store knows it only by the digest of its cookie value.
public struct SessionRecord: Sendable, Equatable {
    public var idDigest: String
    public var userID: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var authenticatedAt: Date
    /// How the person proved who they are (RFC 8176 `amr` values): `pwd`, plus `otp`/`mfa`.
    public var authMethods: [String] = AMR.passwordOnly

    public var isMultiFactor: Bool { AMR.isMultiFactor(authMethods) }

    public init(idDigest: String, userID: String, createdAt: Date, lastSeenAt: Date, authenticatedAt: Date, authMethods: [String] = AMR.passwordOnly) {
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
    /// Removes the session only (a sign-in replacing it, or expiry).
    func delete(idDigest: String) async throws
    /// Signing out of one session: removes it and, in one transaction, revokes what was handed out
    /// in it: its refresh tokens and its CAS proxy-granting and proxy tickets. `offline_access`
    /// refresh tokens, meant to outlive a sign-out, go only with `includingOfflineAccess` (an
    /// administrator's revocation).
    func endSession(idDigest: String, at: Date, includingOfflineAccess: Bool) async throws
    /// Ends every session of the user (password change, disabling, revocation) and revokes every
    /// refresh token and CAS proxy-granting ticket the user holds, `offline_access` ones included.
    func deleteSessions(userID: String) async throws
    /// Notes that the session (by `sid`) signed in to an OAuth client, for front-channel logout.
    func recordClient(_ clientID: String, sessionID: String, at: Date) async throws
    /// The clients a session (by `sid`) signed in to, in no particular order.
    func clientIDs(sessionID: String) async throws -> [String]
    /// A user's sessions, newest first.
    func sessions(userID: String) async throws -> [SessionRecord]
    /// Removes sessions created before `createdBefore` or idle since before `idleBefore`.
    func deleteExpired(createdBefore: Date, idleBefore: Date) async throws
}
