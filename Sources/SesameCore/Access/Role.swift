import Foundation

/// A role. Global roles have a plain name (`admin`); a role that belongs to one application is
/// named `APP:ROLE` (`intranet:editor`), where APP is the name of a client or a CAS service, so
/// `editor` in the intranet and `editor` on the public site are different roles.
public struct Role: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// Named permissions the role grants (`articles:publish`).
    public var permissions: [String]
    public var createdAt: Date

    public init(name: String, description: String? = nil, permissions: [String] = [], createdAt: Date) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.createdAt = createdAt
    }

    /// The application the role belongs to; nil for a global role.
    public var app: String? { RoleName.app(of: name) }
}

/// A group of people; its roles go to every member.
public struct Group: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var roles: [String]
    /// Usernames of the members.
    public var members: [String]
    public var createdAt: Date

    public init(name: String, description: String? = nil, roles: [String] = [], members: [String] = [], createdAt: Date) {
        self.name = name
        self.description = description
        self.roles = roles
        self.members = members
        self.createdAt = createdAt
    }
}

/// Rules for role, group and permission names.
public enum RoleName {
    public static func app(of role: String) -> String? {
        guard let colon = role.firstIndex(of: ":") else { return nil }
        return String(role[..<colon])
    }

    /// `editor` with app `intranet` is `intranet:editor`.
    public static func qualified(_ name: String, app: String?) -> String {
        app.map { "\($0):\(name)" } ?? name
    }

    /// Letters, digits and `. _ -`, one optional `:` between an app and a name, at most 100
    /// bytes: names end up in tokens, CAS attributes, URLs and the users file. The one rule for
    /// role and group names, whichever door (CLI, admin API, users file) creates them.
    public static func check(_ name: String, what: String, allowsApp: Bool = true) throws {
        guard isValid(name, extra: "._-", maxParts: allowsApp ? 2 : 1) else { throw AccessError.invalidName(what: what, name: name) }
    }

    /// Permissions may have any number of `:`-separated parts (`articles:publish`) and `*`.
    public static func checkPermission(_ name: String) throws {
        guard isValid(name, extra: "._-*", maxParts: .max) else { throw AccessError.invalidName(what: "permission", name: name) }
    }

    /// Checked on bytes: only ASCII letters, digits and `extra`, in non-empty `:`-separated parts.
    private static func isValid(_ name: String, extra: StaticString, maxParts: Int) -> Bool {
        let allowed = extra.withUTF8Buffer { Set($0) }
        let parts = name.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        return (1...100).contains(name.utf8.count) && parts.count <= maxParts && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || allowed.contains(byte)
            }
        }
    }
}

public enum AccessError: Error, Equatable, CustomStringConvertible {
    case invalidName(what: String, name: String)
    case duplicateRole(String)
    case duplicateGroup(String)
    case unknownRole(String)
    case unknownGroup(String)
    case unknownApp(String)

    public var description: String {
        switch self {
        case .invalidName(let what, let name):
            "\(what) '\(name)' must be letters, digits, '.', '_' or '-'" + (what == "role" ? ", with an optional APP: prefix" : "")
        case .duplicateRole(let name): "role '\(name)' already exists"
        case .duplicateGroup(let name): "group '\(name)' already exists"
        case .unknownRole(let name): "no role '\(name)' (sesame role list)"
        case .unknownGroup(let name): "no group '\(name)' (sesame group list)"
        case .unknownApp(let name): "no client or CAS service named '\(name)'"
        }
    }
}
