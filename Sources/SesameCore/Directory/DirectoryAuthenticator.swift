/// Signs people in with an LDAP directory or Active Directory (`directory:NAME` in the
/// `authenticators` setting): the service account searches for the login (at most two entries),
/// then the person's own bind proves the password, with the password policy control.
///
/// - Empty passwords are refused before anything is asked (an empty simple bind is anonymous).
/// - A login the directory does not know returns nil (the next authenticator decides), after a
///   bind with a DN that does not exist, so it costs what a wrong password costs.
/// - A directory that cannot be reached throws `SignInError.directoryUnavailable`: nothing else
///   is tried, least of all a local password.
/// - A proven password creates or refreshes the person's Sesame user (keyed by the entry's
///   immutable id) and replaces the memberships their directory groups give.
public struct DirectoryAuthenticator: PrimaryAuthenticator {
    public static let prefix = "directory:"
    /// Longer logins are not searched for (a UPN is at most 1024 characters, real ones far shorter).
    static let maxLoginBytes = 256

    public let configuration: DirectoryConfiguration
    public var name: String { configuration.authenticatorName }

    private let gateway: any DirectoryGateway
    private let provisioner: DirectoryProvisioner
    private let clock: any WallClock

    public init(
        configuration: DirectoryConfiguration, gateway: any DirectoryGateway, users: any UserStore, directories: any DirectoryStore,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()
    ) {
        self.configuration = configuration
        self.gateway = gateway
        self.clock = clock
        provisioner = DirectoryProvisioner(configuration: configuration, users: users, directories: directories, clock: clock, random: random)
    }

    /// The DN bound to when nobody matched, so that an unknown login costs one search and one bind
    /// like a known one. It cannot exist: its RDN value is not one any directory hands out.
    var dummyDN: String { "cn=sesame-no-such-entry-7f3a9c,\(configuration.baseDN)" }

    public func authenticate(_ credentials: SignInCredentials, account: User?) async throws -> User? {
        try await answer(credentials, account: account)?.user
    }

    public func answer(_ credentials: SignInCredentials, account: User?) async throws -> PrimaryAnswer? {
        // Named explicitly (`directory:NAME`) but switched off: not asked.
        guard configuration.enabled else { return nil }
        guard !credentials.password.isEmpty else { throw SignInFailure(.emptyPassword, detail: "directory=\(configuration.name)") }
        let login = credentials.login
        guard !login.isEmpty, login.utf8.count <= Self.maxLoginBytes, !DirectoryConfiguration.hasControl(login) else { return nil }

        let found = try await reach { try await gateway.search(userQuery(login: login), limit: 2) }
        guard found.value.count <= 1 else {
            throw SignInFailure(.ambiguousLogin, detail: audit(server: found.server))
        }
        guard let entry = found.value.first else {
            _ = try await reach { try await gateway.bind(dn: dummyDN, password: credentials.password, passwordPolicy: true) }
            return nil
        }

        let bound = try await reach { try await gateway.bind(dn: entry.dn, password: credentials.password, passwordPolicy: true) }
        let detail = audit(server: bound.server)
        if let refusal = DirectoryRefusal.of(bound.value) {
            // A bind refused without a reason may still be a lock the entry shows.
            let refusal = refusal == .wrongPassword && !hasADCode(bound.value) ? (state(entry)?.refusalOfSilentBind() ?? refusal) : refusal
            throw refusal.failure(directory: configuration.name, detail: detail + code(bound.value))
        }
        if let refusal = state(entry)?.refusalAfterBind(now: clock.now()) {
            throw refusal.failure(directory: configuration.name, detail: detail + " state=entry")
        }

        let identity = try provisioner.identity(of: entry)
        let (user, _) = try await provisioner.upsert(identity, dn: entry.dn)
        let groups = try await reach { try await DirectoryGroupResolver(configuration: configuration, gateway: gateway).groups(of: entry, login: identity.username) }
        var signedIn = user
        if try await provisioner.applyGroups(groups, to: user.id) {
            // Reloaded, so groups, roles and permissions include what the directory just gave.
            signedIn = try await provisioner.users.user(id: user.id) ?? user
        }
        return PrimaryAnswer(user: signedIn, auditDetail: detail, notice: notice(bound.value))
    }

    func userQuery(login: String) -> DirectoryQuery { Self.userQuery(configuration, login: login) }

    /// The search and the bind an unknown login costs (the bind to the DN that cannot exist).
    public func spendAsForUnknownLogin(_ credentials: SignInCredentials) async {
        let login = credentials.login
        guard configuration.enabled, !credentials.password.isEmpty, !login.isEmpty, login.utf8.count <= Self.maxLoginBytes,
            !DirectoryConfiguration.hasControl(login)
        else { return }
        _ = try? await gateway.search(userQuery(login: login), limit: 2)
        _ = try? await gateway.bind(dn: dummyDN, password: credentials.password, passwordPolicy: true)
    }

    /// The user filter with the login as `{login}`, reading what the identity, the groups and the AD state need.
    static func userQuery(_ configuration: DirectoryConfiguration, login: String) -> DirectoryQuery {
        var attributes = configuration.effectiveAttributeMap.attributes
        let groups = configuration.effectiveGroups
        if groups.memberOf { attributes.append("memberOf") }
        if groups.primaryGroup { attributes += ["primaryGroupID", "objectSid"] }
        if configuration.profile == .activeDirectory { attributes += DirectoryAccountState.attributes }
        var unique: [String] = []
        for attribute in attributes where !unique.contains(where: { $0.lowercased() == attribute.lowercased() }) { unique.append(attribute) }
        return DirectoryQuery(base: configuration.baseDN, filter: configuration.effectiveUserFilter, values: ["login": login], attributes: unique)
    }

    private func state(_ entry: DirectoryEntry) -> DirectoryAccountState? {
        configuration.profile == .activeDirectory ? DirectoryAccountState(entry: entry) : nil
    }

    private func hasADCode(_ bind: DirectoryBindResult) -> Bool {
        DirectoryRefusal.activeDirectoryCode(in: bind.diagnosticMessage) != nil
    }

    private func audit(server: String) -> String {
        "directory=\(configuration.name) server=\(String(server.prefix(200)))"
    }

    private func code(_ bind: DirectoryBindResult) -> String {
        let ad = DirectoryRefusal.activeDirectoryCode(in: bind.diagnosticMessage).map { " data=\($0)" } ?? ""
        return " result=\(bind.resultCode)" + ad
    }

    /// The password policy's warnings, as the page shows them.
    private func notice(_ bind: DirectoryBindResult) -> SignInNotice? {
        switch bind.passwordPolicy?.warning {
        case .secondsBeforeExpiration(let seconds):
            return SignInNotice(kind: .passwordExpiresSoon(seconds: seconds), message: "Your password expires in \(Self.duration(seconds)). Change it soon.", directory: configuration.name)
        case .graceLoginsRemaining(let count):
            return SignInNotice(
                kind: .graceLoginsLeft(count),
                message: "Your password has expired. You can sign in \(count) more time\(count == 1 ? "" : "s") before you must change it.", directory: configuration.name
            )
        case nil:
            return nil
        }
    }

    static func duration(_ seconds: Int) -> String {
        let days = seconds / 86_400
        if days >= 1 { return "\(days) day\(days == 1 ? "" : "s")" }
        let hours = seconds / 3_600
        if hours >= 1 { return "\(hours) hour\(hours == 1 ? "" : "s")" }
        let minutes = max(1, seconds / 60)
        return "\(minutes) minute\(minutes == 1 ? "" : "s")"
    }

    private func reach<T>(_ body: () async throws -> T) async throws -> T {
        try await configuration.reach(body)
    }
}
