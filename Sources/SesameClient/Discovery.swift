import Foundation
// The wire types the toolkit reads are the server's own (SesameModels); apps get them with the toolkit.
@_exported import struct SesameModels.ClaimName
@_exported import struct SesameModels.DiscoveryDocument
@_exported import struct SesameModels.IntrospectionResponse
@_exported import struct SesameModels.TokenResponse

extension DiscoveryDocument {
    /// Fetches `ISSUER/.well-known/openid-configuration` and checks it names the same issuer.
    public static func discover(issuer: String, http: SesameHTTP = SesameHTTP()) async throws -> DiscoveryDocument {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let answer = try await http.get(base + "/.well-known/openid-configuration")
        guard answer.status == 200, let metadata = try? JSONDecoder().decode(DiscoveryDocument.self, from: answer.body) else {
            throw SesameClientError.unexpectedAnswer("discovery \(answer.status)")
        }
        guard metadata.issuer == base else { throw SesameClientError.unexpectedAnswer("discovery names issuer \(metadata.issuer), not \(base)") }
        return metadata
    }
}
