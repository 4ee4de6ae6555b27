import Foundation

/// What consuming a single-use thing found.
public enum Consumption<Record: Sendable>: Sendable {
    /// It was unused and is now used: this caller alone got it.
    case consumed(Record)
    /// It had been used before: a replay, to be answered by revoking what it produced.
    case alreadyUsed(Record)
    case notFound
}

/// What rotating a refresh token found (`TokenStore.rotateRefreshToken`).
public enum RefreshRotation: Sendable {
    /// It was unused and is now used, and its successor is stored: this caller alone got it.
    case rotated(RefreshTokenRecord)
    /// It was unused and is now used, but its family had been revoked: no successor was stored.
    case familyRevoked(RefreshTokenRecord)
    /// It had been used before (nothing was changed).
    case alreadyUsed(RefreshTokenRecord)
    case notFound
}

/// An issued authorization code, known to the store only by its digest.
public struct AuthorizationCodeRecord: Sendable, Equatable {
    public var digest: String
    public var familyID: String
    public var clientID: String
    public var userID: String
    /// The `redirect_uri` the authorization request named; empty when it named none, so the
    /// token request may leave it out too (RFC 6749 §4.1.3).
    public var redirectURI: String
    public var scope: String
    public var nonce: String?
    public var codeChallenge: String?
    public var sessionID: String?
    public var authTime: Date
    public var authMethods: [String] = AMR.passwordOnly
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        digest: String, familyID: String, clientID: String, userID: String, redirectURI: String, scope: String, nonce: String?,
        codeChallenge: String?, sessionID: String?, authTime: Date, authMethods: [String] = AMR.passwordOnly, createdAt: Date, expiresAt: Date
    ) {
        self.authMethods = authMethods
        self.digest = digest
        self.familyID = familyID
        self.clientID = clientID
        self.userID = userID
        self.redirectURI = redirectURI
        self.scope = scope
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.sessionID = sessionID
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// An issued refresh token, known by its digest. Every token of one sign-in shares a family.
public struct RefreshTokenRecord: Sendable, Equatable {
    public var digest: String
    public var familyID: String
    public var clientID: String
    public var userID: String
    public var scope: String
    public var sessionID: String?
    public var authTime: Date
    public var authMethods: [String] = AMR.passwordOnly
    public var createdAt: Date
    public var expiresAt: Date
    /// When it was exchanged for a new one; nil while unused.
    public var usedAt: Date?

    public init(
        digest: String, familyID: String, clientID: String, userID: String, scope: String, sessionID: String?, authTime: Date,
        authMethods: [String] = AMR.passwordOnly, createdAt: Date, expiresAt: Date, usedAt: Date? = nil
    ) {
        self.authMethods = authMethods
        self.usedAt = usedAt
        self.digest = digest
        self.familyID = familyID
        self.clientID = clientID
        self.userID = userID
        self.scope = scope
        self.sessionID = sessionID
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public protocol AuthorizationCodeStore: Sendable {
    func insert(_ code: AuthorizationCodeRecord) async throws
    /// Marks the code used, atomically: of two concurrent callers exactly one gets `.consumed`.
    func consumeCode(digest: String, at: Date) async throws -> Consumption<AuthorizationCodeRecord>
}

public protocol TokenStore: Sendable {
    /// Stores a refresh token; one whose digest is already stored is left as it is (a retry
    /// within the grace period stores its successor again, in case the first answer's instance
    /// died before it could).
    func insert(_ token: RefreshTokenRecord) async throws
    func refreshToken(digest: String) async throws -> RefreshTokenRecord?
    func isRefreshTokenUsed(digest: String) async throws -> Bool
    /// Marks the refresh token used, atomically (rotation).
    func consumeRefreshToken(digest: String, at: Date) async throws -> Consumption<RefreshTokenRecord>
    /// Rotation in one transaction: marks the token used, atomically, and then, unless its family
    /// is revoked, stores `successor` (one commit where consuming and storing took two).
    func rotateRefreshToken(digest: String, at: Date, successor: RefreshTokenRecord) async throws -> RefreshRotation
    /// Whether an access token was revoked, by itself or through its grant's family. Access tokens
    /// are not stored when issued (they are self-contained JWTs); only revocations are.
    func isAccessTokenRevoked(jti: String, familyID: String?) async throws -> Bool
    /// Remembers a revoked access token until it would have expired anyway.
    func revokeAccessToken(jti: String, expiresAt: Date, at: Date) async throws
    /// Ends a family: every refresh and access token issued from one authorization.
    func revokeFamily(_ familyID: String, at: Date) async throws
    func isFamilyRevoked(_ familyID: String) async throws -> Bool
    /// Removes codes and tokens that expired before `before`.
    func purgeExpiredGrants(before: Date) async throws
}

/// Scopes a person has agreed to give a client, remembered so they are not asked again.
public protocol ConsentStore: Sendable {
    func consentedScopes(userID: String, clientID: String) async throws -> [String]
    func saveConsent(userID: String, clientID: String, scopes: [String], at: Date) async throws
}

/// `jti` values of client assertions already seen (private_key_jwt replay protection).
public protocol AssertionReplayStore: Sendable {
    /// Remembers `jti` until `expiresAt`; false if it was already remembered.
    func rememberAssertion(jti: String, clientID: String, expiresAt: Date) async throws -> Bool
}
