import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import SesameCore
import SesameModels

/// Provider metadata and the public keys.
struct DiscoveryRoutes {
    let discovery: DiscoveryDocument
    let keys: KeySetHolder

    func register(on router: Router<SesameRequestContext>) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let document = ByteBuffer(bytes: (try? encoder.encode(discovery)) ?? Data())
        for path in ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"] {
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"], body: .init(byteBuffer: document))
            }
        }
        router.get("/jwks") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: keys.current.jwksJSON))
            )
        }
    }
}

/// JSON bodies for the OAuth endpoints.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return make(json: data, status: status)
    }

    /// JSON already written (the token paths write theirs without an encoder).
    static func make(json: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        // Token responses must never be cached (RFC 6749 §5.1).
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store", .pragma: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: json))
        )
    }
}

extension HTTPField.Name {
    static let pragma = Self("Pragma")!
}
