import Foundation

/// The parts of Sesame's discovery document an app uses.
public struct ProviderMetadata: Sendable, Codable, Equatable {
    public var issuer: String
    public var authorization_endpoint: String
    public var token_endpoint: String
    public var jwks_uri: String
    public var userinfo_endpoint: String?
    public var introspection_endpoint: String?
    public var end_session_endpoint: String?

    public init(issuer: String, authorization_endpoint: String, token_endpoint: String, jwks_uri: String, userinfo_endpoint: String? = nil,
                introspection_endpoint: String? = nil, end_session_endpoint: String? = nil) {
        self.issuer = issuer
        self.authorization_endpoint = authorization_endpoint
        self.token_endpoint = token_endpoint
        self.jwks_uri = jwks_uri
        self.userinfo_endpoint = userinfo_endpoint
        self.introspection_endpoint = introspection_endpoint
        self.end_session_endpoint = end_session_endpoint
    }

    /// Fetches `ISSUER/.well-known/openid-configuration` and checks it names the same issuer.
    public static func discover(issuer: String, http: SesameHTTP = SesameHTTP()) async throws -> ProviderMetadata {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let answer = try await http.get(base + "/.well-known/openid-configuration")
        guard answer.status == 200, let metadata = try? JSONDecoder().decode(ProviderMetadata.self, from: answer.body) else {
            throw SesameClientError.unexpectedAnswer("discovery \(answer.status)")
        }
        guard metadata.issuer == base else { throw SesameClientError.unexpectedAnswer("discovery names issuer \(metadata.issuer), not \(base)") }
        return metadata
    }
}
