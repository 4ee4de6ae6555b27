import Foundation
import HTTPTypes
import Hummingbird
import SesameModels

/// Behind a reverse proxy, the TCP peer is the proxy. When (and only when) the peer is one of the
/// trusted proxies, the client's address comes from `X-Forwarded-For` and the scheme from
/// `X-Forwarded-Proto`; from anyone else those headers are ignored, so they cannot be forged to
/// dodge the per-address sign-in throttle.
struct ForwardedHeadersMiddleware: RouterMiddleware {
    typealias Context = SesameRequestContext
    let trusted: [IPRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty, let peer = context.clientAddress, isTrusted(peer) else {
            return try await next(request, context)
        }
        var context = context
        if let client = IPRange.forwardedClient(request.headers[values: .xForwardedFor].joined(separator: ","), trusted: trusted) {
            context.clientAddress = client
        }
        if let proto = request.headers[.xForwardedProto]?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased(),
            proto == "http" || proto == "https"
        {
            context.scheme = proto
        }
        return try await next(request, context)
    }

    func isTrusted(_ address: String) -> Bool {
        trusted.contains { $0.contains(address) }
    }

}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
