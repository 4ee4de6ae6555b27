import Foundation
import SesameModels

/// What a permission is checked against: the signed-in person (nil when nobody is), the client's
/// address (after trusted proxies), and the time.
public struct PermissionInput: Sendable {
    public var user: SesameUser?
    public var clientAddress: String?
    public var now: Date

    public init(user: SesameUser?, clientAddress: String?, now: Date = Date()) {
        self.user = user
        self.clientAddress = clientAddress
        self.now = now
    }
}

/// A rule about who may do something, as a value: combine them with `allOf`, `anyOf` and `not`,
/// put one on a route, a group or the whole app, or ask `allows` inside a handler.
///
/// ```swift
/// let editors = Permission.allOf(.hasRole("editor"), .fromIP(["10.0.0.0/8"]), .not(.between(start: "00:00", end: "06:00")))
/// ```
public struct Permission: Sendable {
    /// True when the rule is met. Rules about a person are false when nobody is signed in.
    public let allows: @Sendable (PermissionInput) -> Bool
    /// Whether the rule needs a signed-in person at all (decides 401 versus 403 on refusal).
    public let needsUser: Bool

    public init(needsUser: Bool = true, _ allows: @escaping @Sendable (PermissionInput) -> Bool) {
        self.needsUser = needsUser
        self.allows = allows
    }

    public func allows(_ user: SesameUser?, clientAddress: String? = nil, now: Date = Date()) -> Bool {
        allows(PermissionInput(user: user, clientAddress: clientAddress, now: now))
    }

    /// Anyone signed in.
    public static let signedIn = Permission { $0.user != nil }

    /// One of these usernames (or subjects).
    public static func user(in names: [String]) -> Permission {
        let names = Set(names)
        return Permission { input in input.user.map { names.contains($0.subject) || $0.username.map(names.contains) == true } ?? false }
    }

    public static func hasRole(_ role: String) -> Permission {
        Permission { $0.user?.roles.contains(role) ?? false }
    }

    public static func hasRole(anyOf roles: [String]) -> Permission {
        Permission { input in input.user.map { !$0.roles.isDisjoint(with: roles) } ?? false }
    }

    public static func hasRole(allOf roles: [String]) -> Permission {
        Permission { input in input.user.map { $0.roles.isSuperset(of: roles) } ?? false }
    }

    public static func inGroup(_ group: String) -> Permission {
        Permission { $0.user?.groups.contains(group) ?? false }
    }

    public static func hasPermission(_ permission: String) -> Permission {
        Permission { $0.user?.permissions.contains(permission) ?? false }
    }

    /// The client's address lies in one of these CIDR blocks (IPv4 or IPv6). A malformed block is
    /// a programming error and stops the app at start, not a rule that silently never matches.
    public static func fromIP(_ blocks: [String]) -> Permission {
        let ranges = blocks.map { block -> IPRange in
            guard let range = IPRange(block) else { preconditionFailure("'\(block)' is not an IP address or CIDR block") }
            return range
        }
        return Permission(needsUser: false) { input in
            guard let address = input.clientAddress else { return false }
            return ranges.contains { $0.contains(address) }
        }
    }

    /// From `start` (inclusive) to `end` (exclusive) in `timeZone`; wraps midnight when `end` is
    /// earlier than `start` (`18:00` to `08:00` is the night).
    public static func between(start: TimeOfDay, end: TimeOfDay, timeZone: TimeZone = .current) -> Permission {
        Permission(needsUser: false) { input in
            let now = TimeOfDay.of(input.now, in: timeZone)
            return start <= end ? (start <= now && now < end) : (now >= start || now < end)
        }
    }

    public static func allOf(_ rules: Permission...) -> Permission { allOf(rules) }

    public static func allOf(_ rules: [Permission]) -> Permission {
        Permission(needsUser: rules.contains(where: \.needsUser)) { input in rules.allSatisfy { $0.allows(input) } }
    }

    public static func anyOf(_ rules: Permission...) -> Permission { anyOf(rules) }

    public static func anyOf(_ rules: [Permission]) -> Permission {
        Permission(needsUser: !rules.isEmpty && rules.allSatisfy(\.needsUser)) { input in rules.contains { $0.allows(input) } }
    }

    public static func not(_ rule: Permission) -> Permission {
        Permission(needsUser: rule.needsUser) { !rule.allows($0) }
    }
}
