import Foundation

/// What a directory entry says a Sesame user is.
struct DirectoryIdentity: Equatable {
    var immutableID: String
    var username: String
    var email: String?
    var name: String?
}

/// Creates or refreshes the Sesame user of a directory entry, keyed by the entry's immutable id,
/// and replaces the memberships its groups give. Shared by sign-in and sync. The directory's
/// password never comes here: directory users have no local password (`passwordHash` nil).
struct DirectoryProvisioner {
    enum Change: Equatable { case created, updated, unchanged }

    static let maxImmutableIDBytes = 256

    let configuration: DirectoryConfiguration
    let users: any UserStore
    let directories: any DirectoryStore
    let clock: any WallClock
    let random: any RandomSource

    /// Every attribute the identity needs.
    var attributes: [String] { configuration.effectiveAttributeMap.attributes }

    /// Throws `SignInFailure(.unusableEntry)` when the entry has no immutable id or no valid username.
    func identity(of entry: DirectoryEntry) throws(SignInFailure) -> DirectoryIdentity {
        let map = configuration.effectiveAttributeMap
        let id = try Self.immutableID(of: entry, configuration)
        guard let username = entry.string(map.username), (try? AccountRules.validateUsername(username)) != nil else {
            throw SignInFailure(.unusableEntry, detail: "directory=\(configuration.name) invalid=\(map.username)")
        }
        // An email or name the rules refuse is left out rather than refusing the person.
        let email = entry.string(map.email).flatMap { try? AccountRules.validateEmail($0) }
        let name = entry.string(map.name).map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(200))) }
        return DirectoryIdentity(immutableID: id, username: username, email: email, name: name?.isEmpty == true ? nil : name)
    }

    /// The entry's immutable id as the link keeps it (a GUID as its canonical string, text lower-cased).
    static func immutableID(of entry: DirectoryEntry, _ configuration: DirectoryConfiguration) throws(SignInFailure) -> String {
        let map = configuration.effectiveAttributeMap
        let raw = entry.values(map.immutableID).first ?? []
        let id: String? = switch map.immutableIDFormat {
        case .guid: DirectoryBinaryID.guidString(raw)
        case .text: String(validating: raw, as: UTF8.self).map { $0.lowercased() }
        }
        guard let id, !id.isEmpty, id.utf8.count <= maxImmutableIDBytes, !DirectoryConfiguration.hasControl(id) else {
            throw SignInFailure(.unusableEntry, detail: "directory=\(configuration.name) missing=\(map.immutableID)")
        }
        return id
    }

    /// The linked user refreshed, or a new one. A username or email that belongs to a user not
    /// linked to this entry (a local account) is refused with `accountClash`, never merged.
    func upsert(_ identity: DirectoryIdentity, dn: String) async throws -> (User, Change) {
        let now = clock.now()
        let link = DirectoryLink(userID: "", directory: configuration.name, immutableID: identity.immutableID, dn: String(dn.prefix(4096)), lastSeenAt: now)
        if let existing = try await directories.link(directory: configuration.name, immutableID: identity.immutableID),
            let user = try await users.user(id: existing.userID)
        {
            var updated = user
            updated.username = identity.username
            updated.email = identity.email
            updated.name = identity.name
            var change = Change.unchanged
            if updated != user {
                updated.updatedAt = now
                try await clash { try await users.update(updated) }
                change = .updated
            }
            var refreshed = link
            refreshed.userID = user.id
            try await directories.saveLink(refreshed)
            return (updated, change)
        }
        if try await users.user(username: identity.username) != nil {
            throw SignInFailure(.accountClash, detail: "directory=\(configuration.name) field=username", shown: clashMessage)
        }
        let user = User(
            id: UUID(uuid: Self.uuid(random.bytes(16))).uuidString.lowercased(), username: identity.username, email: identity.email,
            name: identity.name, passwordHash: nil, createdAt: now, updatedAt: now
        )
        do {
            try await clash { try await users.insert(user) }
        } catch let failure as SignInFailure {
            // Two first sign-ins at once: the other one linked the entry; use its user.
            if let other = try await directories.link(directory: configuration.name, immutableID: identity.immutableID),
                let winner = try await users.user(id: other.userID)
            {
                return (winner, .unchanged)
            }
            throw failure
        }
        var created = link
        created.userID = user.id
        try await directories.saveLink(created)
        return (user, .created)
    }

    /// Replaces the user's directory memberships with what the rules give for `groups`; true when they changed.
    @discardableResult
    func applyGroups(_ groups: [DirectoryGroup], to userID: String) async throws -> Bool {
        let given = DirectoryGroupRules.apply(configuration.groupRules, to: groups)
        let before = try await directories.directoryMemberships(userID: userID)
        guard before.groups != given.groups || before.roles != given.roles else { return false }
        try await directories.setDirectoryMemberships(userID: userID, groups: given.groups, roles: given.roles)
        return true
    }

    private var clashMessage: SignInError {
        .accountRefused(
            configuration.name,
            message: "Another account already uses this username or email address, so your directory account cannot sign in here. Contact your administrator."
        )
    }

    private func clash(_ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch let error as AccountError where error.code == .duplicateUsername || error.code == .duplicateEmail {
            let field = error.code == .duplicateUsername ? "username" : "email"
            throw SignInFailure(.accountClash, detail: "directory=\(configuration.name) field=\(field)", shown: clashMessage)
        }
    }

    /// Version 4 UUID layout from 16 random bytes.
    private static func uuid(_ b: [UInt8]) -> uuid_t {
        (b[0], b[1], b[2], b[3], b[4], b[5], b[6] & 0x0f | 0x40, b[7], b[8] & 0x3f | 0x80, b[9], b[10], b[11], b[12], b[13], b[14], b[15])
    }
}
