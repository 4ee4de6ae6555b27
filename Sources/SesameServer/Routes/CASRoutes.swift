import Foundation
import Hummingbird
import Logging
import NIOCore
import SesameCore

/// What the CAS routes call into.
public struct CASDependencies: Sendable {
    public var tickets: CASTickets
    public var singleLogout: SingleLogout
    public var audit: AuditTrail
    /// Lets proxy callbacks be plain http on loopback (for tests); https otherwise.
    public var allowInsecureProxyCallback: Bool
    public var proxyCallback: any ProxyCallback

    public init(tickets: CASTickets, singleLogout: SingleLogout, audit: AuditTrail, allowInsecureProxyCallback: Bool = false,
                proxyCallback: any ProxyCallback = HTTPProxyCallback()) {
        self.allowInsecureProxyCallback = allowInsecureProxyCallback
        self.proxyCallback = proxyCallback
        self.tickets = tickets
        self.singleLogout = singleLogout
        self.audit = audit
    }
}

/// The CAS protocol server (Apereo CAS 3.0) under `/cas`.
struct CASRoutes {
    let cas: CASDependencies
    let signedIn: SignedInUser
    let sessions: SessionService
    let termination: SessionTermination
    let twoFactor: TwoFactorService?
    let csrf: CSRFTokens
    let cookies: BrowserCookies
    let pages: PageRenderer
    let clock: any WallClock

    func register(on router: Router<SesameRequestContext>) {
        router.get("/cas/login") { request, _ -> Response in try await login(request) }
        router.get("/cas/validate") { request, context -> Response in
            let result = await validate(request, context: context)
            return Self.body(CASResponse.text(result), type: "text/plain; charset=utf-8")
        }
        for (path, attributes, proxy) in [("/cas/serviceValidate", false, false), ("/cas/p3/serviceValidate", true, false),
                                          ("/cas/proxyValidate", false, true), ("/cas/p3/proxyValidate", true, true)] {
            router.get(RouterPath(path)) { request, context -> Response in
                var result = await validate(request, context: context, allowProxyTickets: proxy)
                var iou: String?
                if case .success(let validation) = result, let callback = request.uri.queryParameters["pgtUrl"].map(String.init), !callback.isEmpty {
                    do {
                        iou = try await cas.tickets.grantProxyTicket(
                            callback: callback, for: validation, allowInsecure: cas.allowInsecureProxyCallback, deliver: cas.proxyCallback
                        )
                    } catch let error as CASError {
                        result = .failure(error)
                    } catch {
                        result = .failure(.internalError("the proxy-granting ticket could not be made"))
                    }
                }
                if request.uri.queryParameters["format"]?.uppercased() == "JSON" {
                    return Self.body(CASResponse.json(result, includeAttributes: attributes, pgtIOU: iou), type: "application/json")
                }
                return Self.body(CASResponse.xml(result, includeAttributes: attributes, pgtIOU: iou), type: "application/xml; charset=utf-8")
            }
        }
        router.get("/cas/proxy") { request, _ -> Response in
            let query = request.uri.queryParameters
            let result: Result<String, CASError>
            do {
                result = .success(try await cas.tickets.proxyTicket(pgt: query["pgt"].map(String.init), targetService: query["targetService"].map(String.init)))
            } catch let error as CASError {
                result = .failure(error)
            }
            await cas.audit.record(.casProxyTicket, detail: (try? result.get()) == nil ? "refused" : "issued")
            return Self.body(CASResponse.proxy(result), type: "application/xml; charset=utf-8")
        }
        router.get("/cas/logout") { request, _ -> Response in
            var frames: [String] = []
            if let signed = try await signedIn.resolveSession(request) {
                frames = try await termination.end(
                    cookieValue: signed.cookieValue, session: signed.session, reason: .casLogout, actor: signed.user.id, at: clock.now()
                ).frontChannelFrames
            }
            var destination: String?
            if let service = request.uri.queryParameters["service"].map(String.init),
                try await cas.tickets.registeredService(for: service) != nil
            {
                destination = service
            }
            var response: Response
            if let page = FrontChannelLogout.page(frames: frames, next: destination ?? "/end-session/done", pages: pages) {
                response = page
            } else if let destination {
                response = .redirect(to: destination, type: .normal)
            } else {
                response = pages.render("signedOut", ["title": "Signed out"])
            }
            response.setCookie(cookies.expiredSessionCookie())
            return response
        }
    }

    /// The one sign-in policy, which `/authorize` asks too.
    private var policy: SignInPolicy { SignInPolicy(twoFactor: twoFactor, clock: clock) }

    /// The sign-in policy decides; this maps its answer to HTTP.
    private func login(_ request: Request) async throws -> Response {
        let parameters = try AuthorizeRoutes.queryParameters(request)
        let login = CASLoginRequest(parameters: parameters)
        guard let serviceURL = login.serviceURL else {
            return .redirect(to: "/account", type: .normal)
        }
        guard let service = try await cas.tickets.registeredService(for: serviceURL) else {
            return pages.render("error", [
                "title": "Unknown application", "message": "The application that sent you here is not registered with Sesame as a CAS service.",
            ], status: .badRequest)
        }
        let signed = try await signedIn.resolveSession(request)
        let fromNewLogin = FreshSignInMarker(csrf: csrf).freshAfter(
            parameters, request: request, cookies: cookies, audience: .casService(serviceURL), authenticatedAt: signed?.session.authenticatedAt, now: clock.now()
        ) != nil
        let input = login.policyInput(service: service, signedIn: signed.map { .init(user: $0.user, session: $0.session) }, justSignedIn: fromNewLogin)
        switch (try await policy.decide(input), signed) {
        case (.proceed, let signed?):
            let ticket = try await cas.tickets.issue(
                for: serviceURL, service: service, user: signed.user, session: signed.session, fromNewLogin: fromNewLogin, renew: login.renew
            )
            await cas.audit.record(.casTicketIssued, actor: signed.user.id, clientID: service.id, detail: "service=\(serviceURL)")
            if login.postsTicket { return pages.formPost(to: serviceURL, fields: [("ticket", ticket)]) }
            return .redirect(to: serviceURL + (serviceURL.contains("?") ? "&" : "?") + "ticket=" + AuthorizeRoutes.encode(ticket), type: .normal)
        case (.silentFailure, _):
            return .redirect(to: serviceURL, type: .normal)  // gateway: back without a ticket
        case (.refuse, let signed?):
            await cas.audit.record(.casAccessDenied, actor: signed.user.id, clientID: service.id, detail: "service=\(serviceURL)")
            return pages.render("error", [
                "title": "Not allowed", "message": "You are signed in as \(signed.user.username), but \(service.name) is open only to people with a role or group you do not have.",
            ], status: .forbidden)
        case (.signIn(let reason), _):
            return signInRedirect(parameters, service: serviceURL, request: request, secondFactor: reason.asksSecondFactor)
        default:  // the policy proceeds or refuses only with someone signed in
            return signInRedirect(parameters, service: serviceURL, request: request, secondFactor: false)
        }
    }

    private func validate(_ request: Request, context: SesameRequestContext, allowProxyTickets: Bool = false) async -> Result<CASValidation, CASError> {
        let query = request.uri.queryParameters
        let service = query["service"].map(String.init)
        do {
            let validation = try await cas.tickets.validate(
                ticket: query["ticket"].map(String.init), service: service, renew: query["renew"] == "true" || query["renew"] == "1",
                allowProxyTickets: allowProxyTickets
            )
            await cas.audit.record(.casTicketValidated, subject: validation.user.id, clientAddress: context.clientAddress, detail: "service=\(service ?? "")")
            return .success(validation)
        } catch let error as CASError {
            await cas.audit.record(.casValidationFailed, clientAddress: context.clientAddress, detail: "\(error.code) service=\(service ?? "")")
            return .failure(error)
        } catch {
            context.logger.error("cas validation failed", metadata: ["error": "\(error)"])
            return .failure(.internalError("the ticket could not be checked"))
        }
    }

    /// To the sign-in page and back, marked so the sign-in just done counts as new.
    private func signInRedirect(_ parameters: [String: String], service: String, request: Request, secondFactor: Bool) -> Response {
        FreshSignInMarker(csrf: csrf).signInRedirect(
            back: "/cas/login", parameters: parameters, audience: .casService(service), request: request, cookies: cookies, at: clock.now(),
            secondFactor: secondFactor
        )
    }

    static func body(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Calls a proxy callback URL with `pgtId` and `pgtIou` (CAS 3.0 §2.5.4); 200 means delivered
/// (a redirect is not followed, so it is not).
public struct HTTPProxyCallback: ProxyCallback {
    public init() {}

    public func deliver(callback: String, pgtID: String, pgtIOU: String) async -> Bool {
        guard var components = URLComponents(string: callback) else { return false }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "pgtId", value: pgtID), URLQueryItem(name: "pgtIou", value: pgtIOU)]
        guard let url = components.url else { return false }
        return (try? await OutboundHTTP.get(url.absoluteString, maxBytes: 64 * 1024))?.status == 200
    }
}
