/// The person an app sees: who signed in through Sesame, with the roles, groups and permissions
/// Sesame released to this app (its own roles already without the `APP:` prefix).
public struct SesameUser: Sendable, Equatable, Codable {
    /// The `sub` claim: stable, never reused.
    public var subject: String
    public var username: String?
    public var email: String?
    public var name: String?
    public var roles: Set<String>
    public var groups: Set<String>
    public var permissions: Set<String>

    public init(subject: String, username: String? = nil, email: String? = nil, name: String? = nil,
                roles: Set<String> = [], groups: Set<String> = [], permissions: Set<String> = []) {
        self.subject = subject
        self.username = username
        self.email = email
        self.name = name
        self.roles = roles
        self.groups = groups
        self.permissions = permissions
    }
}
