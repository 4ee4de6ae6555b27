import SesameJOSE
import Foundation
import SesameCore
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A private_key_jwt client's public keys: registered by value, or fetched from its jwks_uri and
/// kept for five minutes.
public final class ClientJWKSFetcher: ClientKeyFetcher {
    private let cache = Mutex<[String: (keys: [JWTVerificationKey], fetched: Date)]>([:])
    private let lifetime: TimeInterval = 300

    public init() {}

    public func keys(for client: Client) async throws -> [JWTVerificationKey] {
        if let jwks = client.jwks { return JWTVerificationKey.keys(fromJWKS: jwks) }
        guard let uri = client.jwksURI, let url = URL(string: uri) else { return [] }
        if let cached = cache.withLock({ $0[uri] }), Date().timeIntervalSince(cached.fetched) < lifetime {
            return cached.keys
        }
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            (response as? HTTPURLResponse)?.statusCode == 200, data.count < 256 * 1024
        else { throw OAuthError.invalidClient(detail: "could not fetch jwks_uri \(uri)") }
        let keys = JWTVerificationKey.keys(fromJWKS: String(decoding: data, as: UTF8.self))
        cache.withLock { $0[uri] = (keys, Date()) }
        return keys
    }
}
