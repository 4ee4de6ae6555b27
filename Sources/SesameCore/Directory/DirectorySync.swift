/// What one sync did.
public struct DirectorySyncReport: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    /// Sesame users disabled because their entry is gone or disabled in the directory.
    public var disabled = 0
    public var unchanged = 0
    /// Entries without an immutable id or usable username, or whose username a local account has.
    public var skipped = 0

    public init() {}

    var auditDetail: String { "created=\(created) updated=\(updated) disabled=\(disabled) unchanged=\(unchanged) skipped=\(skipped)" }
}

/// Pages through every person in a directory (1000 at a time): creates and refreshes their
/// Sesame users and directory memberships, and disables the users whose entry is gone or disabled
/// (AD's ACCOUNTDISABLE, an expired account), which ends their sessions and refresh tokens through
/// `AccountService` so the apps' logout listeners run. The server's periodic check reuses it.
///
/// Re-enabling stays an administrator's decision: an entry enabled again does not re-enable its user.
public struct DirectorySync: Sendable {
    public static let pageSize = 1000

    public let configuration: DirectoryConfiguration
    private let gateway: any DirectoryGateway
    private let directories: any DirectoryStore
    private let accounts: AccountService
    private let provisioner: DirectoryProvisioner
    private let clock: any WallClock
    /// `directory.synced` goes here, once per run.
    public var audit: AuditTrail?

    public init(
        configuration: DirectoryConfiguration, gateway: any DirectoryGateway, users: any UserStore, directories: any DirectoryStore,
        accounts: AccountService, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()
    ) {
        self.configuration = configuration
        self.gateway = gateway
        self.directories = directories
        self.accounts = accounts
        self.clock = clock
        provisioner = DirectoryProvisioner(configuration: configuration, users: users, directories: directories, clock: clock, random: random)
    }

    /// The listing: every person, with what the identity, the groups and the AD state need.
    var listQuery: DirectoryQuery {
        var query = DirectoryAuthenticator.userQuery(configuration, login: "")
        query.filter = configuration.effectiveListFilter
        query.values = [:]
        return query
    }

    /// Throws `DirectoryUnavailable` (or the gateway's error) when the directory cannot be read
    /// to the end: then nobody is disabled, since a half listing proves no absence.
    public func run() async throws -> DirectorySyncReport {
        var report = DirectorySyncReport()
        var seen = Set<String>()
        var listed = 0
        let resolver = DirectoryGroupResolver(configuration: configuration, gateway: gateway)
        let now = clock.now()
        try await gateway.pages(listQuery, pageSize: Self.pageSize) { page in
            for entry in page {
                listed += 1
                // Listed means present, even when the entry cannot be a user (an invalid username).
                if let id = try? DirectoryProvisioner.immutableID(of: entry, configuration) { seen.insert(id) }
                guard let identity = try? provisioner.identity(of: entry) else {
                    report.skipped += 1
                    continue
                }
                if configuration.profile == .activeDirectory, let refusal = DirectoryAccountState(entry: entry).refusalAfterBind(now: now),
                    refusal == .disabled || refusal == .accountExpired
                {
                    if try await disableLinked(identity.immutableID) { report.disabled += 1 } else { report.unchanged += 1 }
                    continue
                }
                let user: User
                var change: DirectoryProvisioner.Change
                do {
                    (user, change) = try await provisioner.upsert(identity, dn: entry.dn)
                } catch is SignInFailure {
                    report.skipped += 1
                    continue
                }
                let groups = try await resolver.groups(of: entry, login: identity.username)
                if try await provisioner.applyGroups(groups, to: user.id), change == .unchanged { change = .updated }
                switch change {
                case .created: report.created += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                }
            }
        }
        let links = try await directories.links(directory: configuration.name)
        // An empty listing is far likelier a wrong base DN or filter than everyone leaving at once.
        if listed > 0 {
            for link in links where !seen.contains(link.immutableID) {
                if try await disable(userID: link.userID) { report.disabled += 1 }
            }
        }
        await audit?.record(.directorySynced, actor: accounts.actor.auditName, subject: "directory:\(configuration.name)", detail: report.auditDetail)
        return report
    }

    private func disableLinked(_ immutableID: String) async throws -> Bool {
        guard let link = try await directories.link(directory: configuration.name, immutableID: immutableID) else { return false }
        return try await disable(userID: link.userID)
    }

    /// Disables through `AccountService`, which ends every session and refresh token and tells the apps.
    private func disable(userID: String) async throws -> Bool {
        guard let user = try await provisioner.users.user(id: userID), !user.disabled else { return false }
        let outcome = try await accounts.setDisabled(username: user.username, true)
        await outcome?.deliveriesFinished()
        return true
    }
}
