/// A directory group a person is in, directly or through nesting.
public struct DirectoryGroup: Sendable, Equatable, Hashable {
    public var dn: String
    /// Its name attribute (or its DN's first RDN value), when known.
    public var name: String?

    public init(dn: String, name: String?) {
        self.dn = dn
        self.name = name
    }
}

/// Finds every group of a user entry with the configured ways (memberOf, group search, posixGroup
/// memberUid, AD's IN_CHAIN or a breadth-first expansion, AD's primary group).
struct DirectoryGroupResolver {
    /// AD's LDAP_MATCHING_RULE_IN_CHAIN: the DC follows nested membership itself.
    static let inChainFilter = "(member:1.2.840.113556.1.4.1941:={dn})"
    /// However deep and wide the nesting, no sign-in walks more groups than this.
    static let maxGroups = 2000

    let configuration: DirectoryConfiguration
    let gateway: any DirectoryGateway

    private var settings: DirectoryGroupSettings { configuration.effectiveGroups }
    private var base: String { settings.searchBase ?? configuration.baseDN }

    /// - Parameter login: the entry's username attribute, for `memberUid`.
    func groups(of entry: DirectoryEntry, login: String) async throws -> [DirectoryGroup] {
        var found = Found(limit: Self.maxGroups)
        if settings.memberOf {
            for dn in entry.strings("memberOf") { found.add(DirectoryGroup(dn: dn, name: DirectoryDN.firstValue(dn, attribute: settings.nameAttribute))) }
        }
        if settings.nesting == .inChain {
            for group in try await search(Self.inChainFilter, ["dn": entry.dn]) { found.add(group) }
        } else if let filter = settings.searchFilter {
            for group in try await search(filter, ["dn": entry.dn]) { found.add(group) }
        }
        if let filter = settings.memberUidFilter, !login.isEmpty {
            for group in try await search(filter, ["login": login]) { found.add(group) }
        }
        if settings.primaryGroup, let group = try await primaryGroup(of: entry) { found.add(group) }
        if settings.nesting == .expand { try await expand(&found) }
        return found.groups
    }

    /// Breadth-first upwards from the groups found so far: each level asks which groups hold the
    /// last level's. A group seen before (normalized DN) is not followed again, so cycles end, and
    /// no path is followed past `maxDepth` levels.
    private func expand(_ found: inout Found) async throws {
        var frontier = found.groups
        var depth = 0
        while !frontier.isEmpty, depth < settings.maxDepth, !found.full {
            depth += 1
            var next: [DirectoryGroup] = []
            for group in frontier {
                for parent in try await parents(of: group) where found.add(parent) { next.append(parent) }
            }
            frontier = next
        }
    }

    private func parents(of group: DirectoryGroup) async throws -> [DirectoryGroup] {
        if let filter = settings.searchFilter { return try await search(filter, ["dn": group.dn]) }
        guard settings.memberOf else { return [] }
        let query = DirectoryQuery(base: group.dn, scope: .base, filter: "(objectClass=*)", attributes: ["memberOf"])
        return try await gateway.search(query, limit: 1).value.flatMap { entry in
            entry.strings("memberOf").map { DirectoryGroup(dn: $0, name: DirectoryDN.firstValue($0, attribute: settings.nameAttribute)) }
        }
    }

    /// The user's SID with its last sub-authority replaced by `primaryGroupID` is the group's SID,
    /// searched as escaped bytes (AD's `memberOf` never lists the primary group).
    private func primaryGroup(of entry: DirectoryEntry) async throws -> DirectoryGroup? {
        guard let sid = entry.values("objectSid").first, let text = entry.string("primaryGroupID"), text.utf8.count <= 10,
            let rid = UInt32(text), let groupSID = DirectoryBinaryID.sibling(of: sid, rid: rid)
        else { return nil }
        let query = DirectoryQuery(base: base, filter: "(objectSid=\(DirectoryBinaryID.filterValue(groupSID)))", attributes: [settings.nameAttribute])
        return try await gateway.search(query, limit: 1).value.first.map(group)
    }

    private func search(_ filter: String, _ values: [String: String]) async throws -> [DirectoryGroup] {
        let query = DirectoryQuery(base: base, filter: filter, values: values, attributes: [settings.nameAttribute])
        return try await gateway.search(query, limit: Self.maxGroups).value.map(group)
    }

    private func group(_ entry: DirectoryEntry) -> DirectoryGroup {
        DirectoryGroup(dn: entry.dn, name: entry.string(settings.nameAttribute) ?? DirectoryDN.firstValue(entry.dn, attribute: settings.nameAttribute))
    }

    /// Groups in the order found, once each by normalized DN, up to a limit.
    struct Found {
        let limit: Int
        private(set) var groups: [DirectoryGroup] = []
        private var seen: Set<String> = []

        init(limit: Int) { self.limit = limit }

        var full: Bool { groups.count >= limit }

        @discardableResult
        mutating func add(_ group: DirectoryGroup) -> Bool {
            guard !full, seen.insert(DirectoryDN.normalized(group.dn)).inserted else { return false }
            groups.append(group)
            return true
        }
    }
}

/// The configured rules applied to a person's directory groups: Sesame groups and roles, lower-cased and sorted.
enum DirectoryGroupRules {
    static func apply(_ rules: [DirectoryGroupRule], to groups: [DirectoryGroup]) -> (groups: [String], roles: [String]) {
        let dns = Set(groups.map { DirectoryDN.normalized($0.dn) })
        let names = Set(groups.compactMap { $0.name?.lowercased() })
        var outGroups = Set<String>()
        var outRoles = Set<String>()
        for rule in rules {
            let matches = rule.match.contains("=") ? dns.contains(DirectoryDN.normalized(rule.match)) : names.contains(rule.match.lowercased())
            guard matches else { continue }
            outGroups.formUnion(rule.groups.map { $0.lowercased() })
            outRoles.formUnion(rule.roles.map { $0.lowercased() })
        }
        return (outGroups.sorted(), outRoles.sorted())
    }
}
