/// How a person's directory groups are found. Every way that is on contributes; the groups found
/// are merged by normalized DN.
public struct DirectoryGroupSettings: Sendable, Codable, Equatable {
    /// Read the user entry's `memberOf` (AD, OpenLDAP's memberof overlay).
    public var memberOf: Bool
    /// Where groups are searched; nil: the directory's base DN.
    public var searchBase: String?
    /// Groups that hold the user, with `{dn}` for the user's DN, e.g. `(|(member={dn})(uniqueMember={dn}))`; nil: no search.
    public var searchFilter: String?
    /// posixGroup membership by login, with `{login}` for the user's username attribute (not what they typed); nil: off.
    public var memberUidFilter: String?
    /// The attribute that names a group found by a search (also the rules' short name).
    public var nameAttribute: String
    public var nesting: DirectoryNesting
    /// How many levels `expand` follows upwards from a direct group.
    public var maxDepth: Int
    /// Active Directory's primary group (`primaryGroupID` + the user's `objectSid`), which `memberOf` never lists.
    public var primaryGroup: Bool

    public static let defaultMaxDepth = 10

    public init(
        memberOf: Bool, searchBase: String? = nil, searchFilter: String? = nil, memberUidFilter: String? = nil, nameAttribute: String = "cn",
        nesting: DirectoryNesting, maxDepth: Int = Self.defaultMaxDepth, primaryGroup: Bool = false
    ) {
        self.memberOf = memberOf
        self.searchBase = searchBase
        self.searchFilter = searchFilter
        self.memberUidFilter = memberUidFilter
        self.nameAttribute = nameAttribute
        self.nesting = nesting
        self.maxDepth = maxDepth
        self.primaryGroup = primaryGroup
    }
}

public enum DirectoryNesting: String, Sendable, Codable, CaseIterable {
    /// One search with AD's LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941): the DC walks the nesting.
    case inChain = "in-chain"
    /// Breadth-first from the direct groups, each level asking which groups hold the last ones,
    /// with cycle detection on normalized DNs and a depth cap.
    case expand
    /// Direct groups only.
    case off
}

/// A directory group (by DN, or by its name, compared without case) gives Sesame groups and roles.
public struct DirectoryGroupRule: Sendable, Codable, Equatable {
    /// A DN (it holds '=') or a group name (`cn`).
    public var match: String
    public var groups: [String]
    public var roles: [String]

    public init(match: String, groups: [String] = [], roles: [String] = []) {
        self.match = match
        self.groups = groups
        self.roles = roles
    }
}
