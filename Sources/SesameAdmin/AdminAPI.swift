import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SesameCore

/// Who is calling the admin API.
public struct AdminCaller: Sendable {
    public var managementActor: ManagementActor

    public init(_ actor: ManagementActor) {
        self.managementActor = actor
    }

    /// As the audit trail names the caller: `client:<client_id>` or `user:<user id>`.
    public var actor: String { managementActor.auditName }
}

/// What the admin API works on.
public struct AdminDependencies: Sendable {
    public var users: any UserStore
    public var sessions: any SessionStore
    public var access: any AccessStore
    public var clients: ClientManagement
    public var cas: any CASStore
    public var twoFactor: any TwoFactorStore
    public var keys: SigningKeyRing
    public var signingKeys: any SigningKeyStore
    public var auditStore: any AuditStore
    public var audit: AuditTrail
    public var hasher: PasswordHasher
    /// Where passwords set through the API are hashed; the server sets its hashing threads.
    public var hashing: any BlockingWork = InlineWork()
    /// How sessions end, telling the apps they signed in to; the server sets it. Without it they
    /// end telling no app.
    public var termination: SessionTermination?
    /// Directories (LDAP, Active Directory); the server sets it. Without it `/directories` answers 404.
    public var directories: AdminDirectories?
    /// Decides who may call; throws a 401 or 403 `Problem`. The server sets it.
    public var authenticate: @Sendable (Request) async throws -> AdminCaller

    public init(
        users: any UserStore, sessions: any SessionStore, access: any AccessStore, clients: ClientManagement, cas: any CASStore,
        twoFactor: any TwoFactorStore, keys: SigningKeyRing, signingKeys: any SigningKeyStore, auditStore: any AuditStore, audit: AuditTrail,
        hasher: PasswordHasher,
        authenticate: @escaping @Sendable (Request) async throws -> AdminCaller = { _ in throw Problem.unauthorized("no authentication is configured") }
    ) {
        self.users = users
        self.sessions = sessions
        self.access = access
        self.clients = clients
        self.cas = cas
        self.twoFactor = twoFactor
        self.keys = keys
        self.signingKeys = signingKeys
        self.auditStore = auditStore
        self.audit = audit
        self.hasher = hasher
        self.authenticate = authenticate
    }

    func accessService(for caller: AdminCaller) -> AccessService {
        let (clients, cas) = (clients, cas)
        var service = AccessService(store: access) { try await clients.clients().map(\.name) + cas.casServices().map(\.name) }
        service.audit = audit
        service.actor = caller.managementActor
        return service
    }

    func accounts(for caller: AdminCaller) -> AccountService {
        var service = AccountService(users: users, sessions: sessions, hasher: hasher)
        service.audit = audit
        service.actor = caller.managementActor
        service.twoFactor = twoFactor
        service.termination = sessionTermination
        service.work = hashing
        return service
    }

    var sessionTermination: SessionTermination { termination ?? SessionTermination(store: sessions, audit: audit) }
}

/// The admin JSON API under `/admin/api/v1`, described by `openapi.json` beside it. Every
/// handler answers with JSON or an RFC 9457 problem; nothing reaches the generic error pages.
public struct AdminAPI<Context: RequestContext>: Sendable {
    public static var basePath: String { "/admin/api/v1" }
    let deps: AdminDependencies

    public init(_ dependencies: AdminDependencies) {
        self.deps = dependencies
    }

    public func register(on router: Router<Context>) {
        let api = router.group(RouterPath(Self.basePath))
        api.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        registerUsers(on: api)
        registerAccess(on: api)
        registerApps(on: api)
        registerKeysAndAudit(on: api)
        registerDirectories(on: api)
    }

    typealias Handler = @Sendable (Request, Context, AdminCaller) async throws -> Response

    /// Authenticates, runs `handler`, and turns every known failure into a problem response.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            do {
                let caller = try await deps.authenticate(request)
                return try await handler(request, context, caller)
            } catch let problem as Problem {
                return problem.response
            } catch let error as any ManagementFailure {
                return Problem(error.management).response
            }
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }

    static var noContent: Response { Response(status: .noContent) }

    static func parameter(_ context: Context, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else { throw Problem.invalid("\(name) is missing", field: name) }
        return value
    }
}
