import Hummingbird
import HummingbirdTLS
import SesameAdmin
import Logging
import NIOSSL
import SesameCore
import ServiceLifecycle

/// Assembles the Hummingbird application: middleware in order, then each feature's routes.
public enum SesameServer {
    public static func router(
        dependencies: ServerDependencies, settings: ServerSettings,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()
    ) -> Router<SesameRequestContext> {
        let router = Router(context: SesameRequestContext.self)
        let pages = PageRenderer()
        // Outermost first: the log line sees the final status, headers go on error pages too.
        // A no-op unless requests run on NIO's loops (`sesame serve` puts Swift's jobs there).
        router.add(middleware: EventLoopAffinityMiddleware<SesameRequestContext>())
        router.add(middleware: ForwardedHeadersMiddleware(trusted: settings.trustedProxies))
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(strictTransportSecurity: settings.secureCookies))
        if let oauth = dependencies.oauth {  // outside the error pages, so OAuth errors carry CORS headers too
            router.add(middleware: CORSMiddleware(origins: WebOrigins(clients: oauth.clients)))
        }
        router.add(middleware: ErrorResponseMiddleware(pages: pages))

        let cookies = BrowserCookies(secure: settings.secureCookies, random: random)
        let signedIn = SignedInUser(sessions: dependencies.sessions, users: dependencies.users, cookies: cookies)
        HealthRoutes(health: dependencies.health, directories: dependencies.directories.map { runtime in DirectoryHealth { await runtime.health() } })
            .register(on: router)
        StaticRoutes().register(on: router)
        let termination = sessionTermination(dependencies: dependencies, clock: clock, random: random)
        let login = LoginRoutes(
            signIn: dependencies.signIn, sessions: dependencies.sessions, signedIn: signedIn,
            csrf: dependencies.csrf, cookies: cookies, pages: pages, clock: clock, twoFactor: dependencies.twoFactor, random: random,
            termination: termination,
            formDestinations: FormDestinations(authorizeChecks: dependencies.oauth?.authorizeChecks, casTickets: dependencies.cas?.tickets),
            passwordChange: dependencies.directories.map(\.passwordChangeHandler)
        )
        login.register(on: router)
        AccountRoutes(signedIn: signedIn, csrf: dependencies.csrf, cookies: cookies, pages: pages, twoFactor: dependencies.twoFactor?.service)
            .register(on: router)
        if let twoFactor = dependencies.twoFactor {
            TwoFactorRoutes(
                twoFactor: twoFactor, users: dependencies.users, login: login, signedIn: signedIn, csrf: dependencies.csrf,
                cookies: cookies, pages: pages, clock: clock
            ).register(on: router)
        }
        if let cas = dependencies.cas {
            CASRoutes(
                cas: cas, signedIn: signedIn, sessions: dependencies.sessions, termination: termination, twoFactor: dependencies.twoFactor?.service,
                csrf: dependencies.csrf, cookies: cookies, pages: pages, clock: clock
            ).register(on: router)
        }
        if let oauth = dependencies.oauth {
            DiscoveryRoutes(discovery: oauth.discovery, keys: oauth.keys).register(on: router)
            AuthorizeRoutes(oauth: oauth, signedIn: signedIn, csrf: dependencies.csrf, cookies: cookies, pages: pages, clock: clock)
                .register(on: router)
            TokenRoutes(oauth: oauth).register(on: router)
            if var admin = dependencies.admin {
                admin.authenticate = AdminAuthentication(validator: oauth.validator, signedIn: signedIn, csrf: dependencies.csrf).authenticate
                admin.termination = termination
                admin.hashing = HashingThreads.shared
                AdminAPI<SesameRequestContext>(admin).register(on: router)
            }
            UserInfoRoutes(oauth: oauth, users: dependencies.users).register(on: router)
            EndSessionRoutes(
                oauth: oauth, signedIn: signedIn, termination: termination, csrf: dependencies.csrf, cookies: cookies, pages: pages, clock: clock
            ).register(on: router)
        }
        return router
    }

    /// Runs the server until SIGTERM or SIGINT, then lets in-flight requests finish. `services`
    /// run beside the server and are shut down after it has drained (a store's close, for example).
    public static func run(
        dependencies: ServerDependencies, settings: ServerSettings, services: [any Service] = [], logger: Logger
    ) async throws {
        let app = Application(
            router: router(dependencies: dependencies, settings: settings),
            server: try settings.tls.map { try .tls(.http1(), tlsConfiguration: try tlsConfiguration(certificateChain: $0.certificateChain, privateKey: $0.privateKey)) }
                ?? .http1(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            services: services,
            logger: logger
        )
        try await app.runService()
    }

    /// Reads the PEM files; throws `TLSFileError` naming the file that is missing or unreadable.
    public static func tlsConfiguration(certificateChain: String, privateKey: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChain)
        } catch {
            throw TLSFileError(description: "cannot read the TLS certificate chain '\(certificateChain)' (PEM expected)")
        }
        do {
            key = try NIOSSLPrivateKey(file: privateKey, format: .pem)
        } catch {
            throw TLSFileError(description: "cannot read the TLS private key '\(privateKey)' (PEM expected)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}

public struct TLSFileError: Error, CustomStringConvertible {
    public let description: String
}
