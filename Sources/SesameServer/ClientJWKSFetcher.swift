import SesameJOSE
import Foundation
import SesameCore
import NIOCore
import Synchronization

/// A private_key_jwt client's public keys: registered by value, or fetched from its jwks_uri and
/// kept for five minutes.
public final class ClientJWKSFetcher: ClientKeyFetcher {
    private let cache = Mutex<[String: (keys: [JWTVerificationKey], fetched: Date)]>([:])
    private let lifetime: TimeInterval = 300

    public init() {}

    public func keys(for client: Client) async throws -> [JWTVerificationKey] {
        if let jwks = client.jwks { return JWTVerificationKey.keys(fromJWKS: jwks) }
        guard let uri = client.jwksURI else { return [] }
        if let cached = cache.withLock({ $0[uri] }), Date().timeIntervalSince(cached.fetched) < lifetime {
            return cached.keys
        }
        guard let answer = try? await OutboundHTTP.get(uri, accept: "application/json"), answer.status == 200, let body = answer.body else {
            throw OAuthError.invalidClient(detail: "could not fetch jwks_uri \(uri)")
        }
        let keys = JWTVerificationKey.keys(fromJWKS: String(buffer: body))
        cache.withLock { $0[uri] = (keys, Date()) }
        return keys
    }
}
