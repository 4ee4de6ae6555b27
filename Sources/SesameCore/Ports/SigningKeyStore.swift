import Foundation

/// A signing key as stored: the public half as a JWK, the private half sealed with the data key.
public struct StoredSigningKey: Sendable, Equatable {
    public var kid: String
    public var algorithm: String
    public var publicJWK: String
    public var sealedPrivateKey: [UInt8]
    public var createdAt: Date

    public init(kid: String, algorithm: String, publicJWK: String, sealedPrivateKey: [UInt8], createdAt: Date) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicJWK = publicJWK
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
    }
}

public protocol SigningKeyStore: Sendable {
    func signingKeys() async throws -> [StoredSigningKey]
    func insert(_ key: StoredSigningKey) async throws
}
