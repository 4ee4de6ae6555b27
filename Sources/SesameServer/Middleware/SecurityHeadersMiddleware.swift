import HTTPTypes
import Hummingbird

/// Headers that make every response safer in a browser: no inline script, no framing, no
/// sniffing, no referrer leaking paths to other sites.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// When the public URL is https: tell browsers to use nothing else for this host (a year).
    var strictTransportSecurity = false

    /// Forms post to Sesame only (`form-action 'self'`), unless a page says where its form may end.
    static var contentSecurityPolicy: String { SecurityHeaderValues.contentSecurityPolicy }

    /// Chromium checks `form-action` against every redirect that follows a form submission too, so
    /// a form whose answer redirects to an app must list that app's origin; `nil` leaves it out.
    static func contentSecurityPolicy(formAction sources: [String]?) -> String {
        let formAction = sources.map { "; form-action " + $0.joined(separator: " ") } ?? ""
        return "default-src 'none'; style-src 'self'; img-src 'self' data:\(formAction); frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A route may set a narrower-purpose policy of its own (the form_post page does).
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if strictTransportSecurity {
            response.headers[.strictTransportSecurity] = "max-age=31536000"
        }
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// The default policy, built once (a generic type cannot hold a stored static): every response
/// carries it, and building it per request showed in the token endpoint's profile.
enum SecurityHeaderValues {
    static let contentSecurityPolicy = SecurityHeadersMiddleware<SesameRequestContext>.contentSecurityPolicy(formAction: ["'self'"])
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let strictTransportSecurity = Self("Strict-Transport-Security")!
}
