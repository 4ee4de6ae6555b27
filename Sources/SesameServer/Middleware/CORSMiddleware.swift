import Foundation
import HTTPTypes
import Hummingbird
import SesameCore
import Synchronization

/// CORS for browser apps (single-page apps): discovery and the keys are public to every origin;
/// the token, userinfo and revocation endpoints answer only the web origins of registered public
/// clients (the origins of their redirect URIs). No cookies are involved, so no credentials mode.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    static var publicPaths: Set<String> { ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/jwks"] }
    static var clientPaths: Set<String> { ["/token", "/userinfo", "/revoke"] }
    let origins: WebOrigins

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let isPublic = Self.publicPaths.contains(path)
        guard isPublic || Self.clientPaths.contains(path) else { return try await next(request, context) }
        var allowed: String?
        if let origin = request.headers[.origin] {
            allowed = isPublic ? "*" : (try await origins.contains(origin) ? origin : nil)
        }
        var response: Response
        if request.method == .options {
            // A preflight: answered here, since the routes take only GET and POST.
            response = Response(status: .noContent)
            if allowed != nil {
                response.headers[.accessControlAllowMethods] = "GET, POST"
                response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
                response.headers[.accessControlMaxAge] = "600"
            }
        } else {
            response = try await next(request, context)
        }
        if let allowed { response.headers[.accessControlAllowOrigin] = allowed }
        if !isPublic { response.headers[.vary] = "Origin" }
        return response
    }
}

/// The web origins of registered public clients, read again every few seconds so that a client
/// added with `sesame client add` is seen without a restart.
final class WebOrigins: Sendable {
    private let clients: any ClientStore
    private let lifetime: TimeInterval
    private let cached = Mutex<(origins: Set<String>, fetched: Date)?>(nil)

    init(clients: any ClientStore, lifetime: TimeInterval = 5) {
        self.clients = clients
        self.lifetime = lifetime
    }

    func contains(_ origin: String) async throws -> Bool {
        guard origin.utf8.count <= 300 else { return false }
        let now = Date()
        if let hit = cached.withLock({ $0 }), now.timeIntervalSince(hit.fetched) < lifetime { return hit.origins.contains(origin) }
        let origins = Set(try await clients.clients().filter(\.isPublic).flatMap(\.webOrigins))
        cached.withLock { $0 = (origins, now) }
        return origins.contains(origin)
    }
}
