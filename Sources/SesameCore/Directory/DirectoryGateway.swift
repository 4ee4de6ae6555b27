/// What the directory sign-in needs from an LDAP directory, so the rules in this folder know
/// nothing of LDAP's wire format. SesameServer implements it over SesameLDAP's client (a pool of
/// service-account connections, user binds on their own connections, servers tried in order).
///
/// Filters are templates: `{login}` (and `{dn}` for group searches) are replaced by the
/// implementation with the value escaped per RFC 4515, so no rule here builds a filter from input.
public protocol DirectoryGateway: Sendable {
    /// A search as the service account; at most `limit` entries (0: the server's own limit).
    func search(_ query: DirectoryQuery, limit: Int) async throws -> DirectoryAnswer<[DirectoryEntry]>

    /// A paged search (RFC 2696) as the service account: `body` gets each page in turn.
    func pages(_ query: DirectoryQuery, pageSize: Int, _ body: ([DirectoryEntry]) async throws -> Void) async throws

    /// A simple bind as `dn` on a connection of its own, over TLS, asking for the password policy
    /// control when `passwordPolicy` is set. A refused bind is an answer, not an error; errors are
    /// for a directory that cannot be reached.
    func bind(dn: String, password: String, passwordPolicy: Bool) async throws -> DirectoryAnswer<DirectoryBindResult>

    /// Changes a password as its owner (bound with the old one): Active Directory's `unicodePwd`
    /// delete-and-add, or the Password Modify extended operation (RFC 3062).
    func changePassword(dn: String, old: String, new: String, method: DirectoryPasswordChange) async throws -> DirectoryAnswer<DirectoryBindResult>

    /// Connects and binds as the service account on each configured server, in order.
    func check() async -> [DirectoryServerHealth]
}

public enum DirectorySearchScope: Sendable, Equatable {
    case base, oneLevel, subtree
}

public struct DirectoryQuery: Sendable, Equatable {
    public var base: String
    public var scope: DirectorySearchScope
    /// An RFC 4515 filter with `{login}` / `{dn}` placeholders.
    public var filter: String
    /// Values for the placeholders, escaped by the gateway.
    public var values: [String: String]
    public var attributes: [String]

    public init(base: String, scope: DirectorySearchScope = .subtree, filter: String, values: [String: String] = [:], attributes: [String]) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.values = values
        self.attributes = attributes
    }
}

/// One entry; attribute names are matched without regard to case, values are raw bytes
/// (`objectGUID` and `objectSid` are binary).
public struct DirectoryEntry: Sendable, Equatable {
    public var dn: String
    public var attributes: [String: [[UInt8]]]

    public init(dn: String, attributes: [String: [[UInt8]]]) {
        self.dn = dn
        // Keys are kept lower-cased so lookups need not care how the server spelled them.
        var lowered: [String: [[UInt8]]] = [:]
        for (name, values) in attributes { lowered[name.lowercased(), default: []] += values }
        self.attributes = lowered
    }

    public func values(_ name: String) -> [[UInt8]] { attributes[name.lowercased()] ?? [] }

    /// The first value as UTF-8 text, if it is valid UTF-8.
    public func string(_ name: String) -> String? {
        values(name).first.flatMap { String(validating: $0, as: UTF8.self) }
    }

    public func strings(_ name: String) -> [String] {
        values(name).compactMap { String(validating: $0, as: UTF8.self) }
    }
}

/// An answer and the server (its URL) that gave it, for the audit.
public struct DirectoryAnswer<Value: Sendable>: Sendable {
    public var value: Value
    public var server: String

    public init(_ value: Value, server: String) {
        self.value = value
        self.server = server
    }
}

public struct DirectoryBindResult: Sendable, Equatable {
    /// The LDAP result code (0 success, 49 invalid credentials, ...).
    public var resultCode: Int
    /// The server's diagnostic message (Active Directory puts `data 52e` and the like here).
    public var diagnosticMessage: String
    /// The password policy response control, when the server sent one.
    public var passwordPolicy: DirectoryPasswordPolicyResponse?

    public init(resultCode: Int, diagnosticMessage: String = "", passwordPolicy: DirectoryPasswordPolicyResponse? = nil) {
        self.resultCode = resultCode
        self.diagnosticMessage = diagnosticMessage
        self.passwordPolicy = passwordPolicy
    }
}

/// draft-behera-ldap-password-policy's response control, decoded.
public struct DirectoryPasswordPolicyResponse: Sendable, Equatable {
    public enum Warning: Sendable, Equatable {
        case secondsBeforeExpiration(Int)
        case graceLoginsRemaining(Int)
    }

    public enum Failure: Int, Sendable, Equatable {
        case passwordExpired = 0
        case accountLocked = 1
        case changeAfterReset = 2
        case passwordModNotAllowed = 3
        case mustSupplyOldPassword = 4
        case insufficientPasswordQuality = 5
        case passwordTooShort = 6
        case passwordTooYoung = 7
        case passwordInHistory = 8
    }

    public var warning: Warning?
    public var error: Failure?

    public init(warning: Warning? = nil, error: Failure? = nil) {
        self.warning = warning
        self.error = error
    }
}

public enum DirectoryPasswordChange: Sendable, Equatable {
    /// Active Directory: modify `unicodePwd`, deleting the old quoted UTF-16LE value and adding the new.
    case activeDirectory
    /// RFC 3062's Password Modify extended operation with the old and new passwords.
    case passwordModify
}

public struct DirectoryServerHealth: Sendable, Equatable {
    public var server: String
    /// nil when the server answered and the service account could bind; otherwise what failed.
    public var problem: String?

    public init(server: String, problem: String?) {
        self.server = server
        self.problem = problem
    }
}

/// No configured server could be reached (connection refused, time-out, TLS failure) or none
/// answered in time. Sign-in then fails with a clear message and never falls back to a local password.
public struct DirectoryUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
