import Foundation

/// A signing key as stored: the public half as a JWK, the private half sealed with the data key.
public struct StoredSigningKey: Sendable, Equatable {
    public var kid: String
    public var algorithm: String
    public var publicJWK: String
    public var sealedPrivateKey: [UInt8]
    public var createdAt: Date
    /// When a newer key took over; the key stays published until tokens it signed have expired.
    public var supersededAt: Date?

    public init(kid: String, algorithm: String, publicJWK: String, sealedPrivateKey: [UInt8], createdAt: Date, supersededAt: Date? = nil) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicJWK = publicJWK
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
        self.supersededAt = supersededAt
    }
}

public protocol SigningKeyStore: Sendable {
    func signingKeys() async throws -> [StoredSigningKey]
    func insert(_ key: StoredSigningKey) async throws
    /// Inserts `newKeys` and marks every other current key of the same algorithms superseded at
    /// `at`, in one transaction.
    func rotate(to newKeys: [StoredSigningKey], at: Date) async throws
}
