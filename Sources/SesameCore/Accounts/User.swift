import Foundation

/// A person who can sign in. `groups` and `roles` are what was given to the person directly;
/// `inheritedRoles` and `permissions` are filled in by the store when it loads the user (roles that
/// come with the person's groups, and what every role allows) and are never written back.
public struct User: Sendable, Equatable {
    public var id: String
    public var username: String
    public var email: String?
    public var name: String?
    /// The stored password hash in one of the forms `PasswordHasher` understands; nil for a person
    /// without a local password, whom another authenticator signs in.
    public var passwordHash: String?
    public var disabled: Bool
    public var groups: [String]
    public var roles: [String]
    /// Roles that come with the person's groups.
    public var inheritedRoles: [String] = []
    /// Permissions by role, for every role the person has directly or through a group.
    public var permissions: [String: [String]] = [:]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, username: String, email: String?, name: String?, passwordHash: String?,
        disabled: Bool = false, groups: [String] = [], roles: [String] = [], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.groups = groups
        self.roles = roles
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
