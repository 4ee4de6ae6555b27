/// The kind of directory, whose defaults fill every setting a configuration leaves unset.
public enum DirectoryProfile: String, Sendable, Codable, CaseIterable {
    case activeDirectory = "active-directory"
    case openLDAP = "openldap"
    case generic

    /// Which entries are people: the user filter narrows it to one login, and a sync lists it whole.
    public var objectFilter: String {
        switch self {
        case .activeDirectory: "(&(objectCategory=person)(objectClass=user))"
        case .openLDAP: "(objectClass=inetOrgPerson)"
        case .generic: "(objectClass=person)"
        }
    }

    /// The attributes a login is compared with (any one matching).
    public var loginAttributes: [String] {
        switch self {
        case .activeDirectory: ["sAMAccountName", "userPrincipalName"]
        case .openLDAP: ["uid", "mail"]
        case .generic: ["uid"]
        }
    }

    public var attributeMap: DirectoryAttributeMap {
        switch self {
        case .activeDirectory:
            DirectoryAttributeMap(username: "sAMAccountName", email: "mail", name: "displayName", immutableID: "objectGUID", immutableIDFormat: .guid)
        case .openLDAP, .generic:
            DirectoryAttributeMap(username: "uid", email: "mail", name: "cn", immutableID: "entryUUID", immutableIDFormat: .text)
        }
    }

    public var groups: DirectoryGroupSettings {
        switch self {
        case .activeDirectory:
            // memberOf holds direct groups; IN_CHAIN asks the DC for every group at once, nested ones included.
            DirectoryGroupSettings(memberOf: true, nesting: .inChain, primaryGroup: true)
        case .openLDAP:
            DirectoryGroupSettings(
                memberOf: true, searchFilter: "(|(member={dn})(uniqueMember={dn}))",
                memberUidFilter: "(&(objectClass=posixGroup)(memberUid={login}))", nesting: .expand
            )
        case .generic:
            DirectoryGroupSettings(
                memberOf: false, searchFilter: "(|(member={dn})(uniqueMember={dn}))",
                memberUidFilter: "(&(objectClass=posixGroup)(memberUid={login}))", nesting: .expand
            )
        }
    }

    /// How a person changes their own password there.
    public var passwordChange: DirectoryPasswordChange {
        self == .activeDirectory ? .activeDirectory : .passwordModify
    }

    /// `(&OBJECTS(|(a={login})(b={login})))`: the object filter narrowed to entries whose login attributes match.
    public static func userFilter(objects: String, loginAttributes: [String]) -> String {
        let matches = loginAttributes.map { "(\($0)={login})" }
        let any = matches.count == 1 ? matches[0] : "(|" + matches.joined() + ")"  // none: "(|)", which validation refuses
        // `(&(a)(b))` takes the login test as one more term rather than nesting another AND.
        if objects.hasPrefix("(&"), objects.hasSuffix(")") { return "(&" + objects.dropFirst(2).dropLast() + any + ")" }
        return "(&" + objects + any + ")"
    }
}

/// Where a Sesame user's fields come from in a directory entry.
public struct DirectoryAttributeMap: Sendable, Codable, Equatable {
    public var username: String
    public var email: String
    public var name: String
    /// The entry's id that survives renames and moves: `objectGUID` (AD), `entryUUID` (RFC 4530).
    public var immutableID: String
    public var immutableIDFormat: DirectoryIDFormat

    public init(username: String, email: String, name: String, immutableID: String, immutableIDFormat: DirectoryIDFormat) {
        self.username = username
        self.email = email
        self.name = name
        self.immutableID = immutableID
        self.immutableIDFormat = immutableIDFormat
    }

    /// Every attribute the map reads.
    public var attributes: [String] { [username, email, name, immutableID] }
}

public enum DirectoryIDFormat: String, Sendable, Codable {
    /// The value is text already (`entryUUID`).
    case text
    /// Sixteen bytes in Active Directory's GUID layout, shown as the canonical UUID string.
    case guid
}
