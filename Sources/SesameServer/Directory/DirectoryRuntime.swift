import Foundation
import SesameCore
import SesameSQL
import Synchronization

/// The directories a running server signs people in with: the configurations as last read from
/// the store (re-read every refresh interval, and at once after an admin API change), and one
/// LDAP client per directory. Sign-in asks it for the current configurations on every attempt, so
/// a change takes effect without a restart.
public final class DirectoryRuntime: Sendable {
    public let store: SealedDirectoryStore
    public let gateways = DirectoryGateways()
    let users: any UserStore
    let sessions: any SessionStore
    let twoFactor: any TwoFactorStore
    let clock: any WallClock
    let random: any RandomSource
    let audit: AuditTrail?
    private let current = Mutex<[DirectoryConfiguration]>([])
    /// How a sync that disables someone ends their sessions (telling their apps); the server sets
    /// it once its listeners exist.
    private let termination = Mutex<SessionTermination?>(nil)

    public init(
        store: SealedDirectoryStore, users: any UserStore, sessions: any SessionStore, twoFactor: any TwoFactorStore, audit: AuditTrail?,
        clock: any WallClock, random: any RandomSource
    ) {
        self.store = store
        self.users = users
        self.sessions = sessions
        self.twoFactor = twoFactor
        self.audit = audit
        self.clock = clock
        self.random = random
    }

    public func use(termination: SessionTermination) {
        self.termination.withLock { $0 = termination }
    }

    func accounts(_ actor: ManagementActor) -> AccountService {
        var service = AccountService(users: users, sessions: sessions, hasher: PasswordHasher())
        service.audit = audit
        service.actor = actor
        service.twoFactor = twoFactor
        service.termination = termination.withLock { $0 }
        return service
    }

    /// Every configured directory, in position order (disabled ones too).
    public var configurations: [DirectoryConfiguration] { current.withLock { $0 } }

    /// Re-reads the configurations; the clients of directories that are gone are closed (a
    /// changed one gets a new client when next used).
    public func refresh() async throws {
        let loaded = try await store.directories()
        current.withLock { $0 = loaded }
        await gateways.keep(only: Set(loaded.map(\.name)))
    }

    /// What `PrimaryAuthenticators.make` builds directory authenticators from, as configured now:
    /// for sign-in the enabled directories only (a disabled one is not asked, even by name).
    public func signIn(enabledOnly: Bool = true) -> DirectorySignIn {
        let gateways = gateways
        return DirectorySignIn(
            configurations: configurations.filter { $0.enabled || !enabledOnly }, store: store, users: users,
            gateway: { gateways.gateway(for: $0) }, clock: clock, random: random
        )
    }

    func configuration(_ name: String) throws -> DirectoryConfiguration {
        guard let configuration = configurations.first(where: { $0.name == name }) else { throw DirectoryConfigurationError.unknown(name) }
        return configuration
    }

    /// Pages through one directory: creates, updates and disables users (disabling ends their sessions).
    public func sync(_ name: String, actor: ManagementActor) async throws -> DirectorySyncReport {
        let configuration = try configuration(name)
        var sync = DirectorySync(
            configuration: configuration, gateway: gateways.gateway(for: configuration), users: users, directories: store,
            accounts: accounts(actor), clock: clock, random: random
        )
        sync.audit = audit
        return try await sync.run()
    }

    /// Each server's connection and service bind, then optionally one sign-in's steps.
    public func diagnose(_ name: String, login: String?, password: String?) async throws -> [DirectoryDiagnosisStep] {
        let configuration = try configuration(name)
        return await DirectoryDiagnosis(configuration: configuration, gateway: gateways.gateway(for: configuration), clock: clock)
            .run(login: login, password: password)
    }

    /// The change-password page's change: nil when done, else the directory's refusal as the person reads it.
    public func changePassword(directory: String, login: String, old: String, new: String, clientAddress: String?) async throws -> String? {
        guard let configuration = configurations.first(where: { $0.name == directory && $0.enabled }) else {
            return "The username or current password is incorrect."
        }
        var changer = DirectoryPasswordChanger(configuration: configuration, gateway: gateways.gateway(for: configuration))
        changer.audit = audit
        do {
            try await changer.change(login: login, old: old, new: new, clientAddress: clientAddress)
            return nil
        } catch let refused as DirectoryPasswordChanger.Refused {
            return refused.message
        }
    }

    var passwordChangeHandler: DirectoryPasswordChangeHandler {
        { [self] directory, login, old, new, address in
            try await changePassword(directory: directory, login: login, old: old, new: new, clientAddress: address)
        }
    }

    /// For `/healthz`: each enabled directory, reachable when any of its servers answered with a
    /// working service-account bind.
    public func health() async -> [(name: String, reachable: Bool)] {
        var statuses: [(name: String, reachable: Bool)] = []
        for configuration in configurations where configuration.enabled {
            let servers = await gateways.gateway(for: configuration).check()
            statuses.append((configuration.name, servers.contains { $0.problem == nil }))
        }
        return statuses
    }
}

/// `directory:NAME` or `directories` in the `authenticators` setting, built afresh from the
/// runtime's current configurations at each sign-in: a directory added, changed or disabled
/// through the admin API (or seen at a refresh) is used from the next attempt on.
struct LiveDirectoryAuthenticator: PrimaryAuthenticator {
    let name: String
    let runtime: DirectoryRuntime

    func authenticate(_ credentials: SignInCredentials, account: User?) async throws -> User? {
        try await answer(credentials, account: account)?.user
    }

    /// The directories this name stands for now, in position order; the first that knows the login decides.
    func answer(_ credentials: SignInCredentials, account: User?) async throws -> PrimaryAnswer? {
        for authenticator in current() {
            if let answer = try await authenticator.answer(credentials, account: account) { return answer }
        }
        return nil
    }

    /// After an earlier authenticator refused, each directory still costs what an unknown login costs.
    func spendAsForUnknownLogin(_ credentials: SignInCredentials) async {
        for authenticator in current() { await authenticator.spendAsForUnknownLogin(credentials) }
    }

    private func current() -> [any PrimaryAuthenticator] {
        (try? PrimaryAuthenticators.make(
            [name], users: runtime.users, hasher: PasswordHasher(), work: InlineWork(), environment: [:], directories: runtime.signIn()
        )) ?? []
    }
}

