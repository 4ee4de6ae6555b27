import Foundation

/// A sign-in between its first step and its last: the person is known, a second factor is still
/// to come. Kept in the store (by the digest of its cookie value) for five minutes, bound to the
/// browser that began it, and spent by whichever factor finishes it.
public struct SignInTransaction: Sendable, Equatable {
    public var idDigest: String
    public var userID: String
    /// A digest of the browser's own secret (its CSRF cookie): the transaction's cookie alone,
    /// carried to another browser, finishes nothing.
    public var browserDigest: String
    /// The `amr` values the steps so far earned (the first step's).
    public var methods: [String]
    public var createdAt: Date
    public var expiresAt: Date

    public init(idDigest: String, userID: String, browserDigest: String, methods: [String], createdAt: Date, expiresAt: Date) {
        self.idDigest = idDigest
        self.userID = userID
        self.browserDigest = browserDigest
        self.methods = methods
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
