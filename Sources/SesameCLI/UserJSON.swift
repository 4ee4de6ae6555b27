import Foundation
import SesameCore
import SesameSQL

/// A user as the CLI prints it. The password hash itself is never printed, only its scheme.
struct UserJSON: Encodable {
    let id: String
    let username: String
    let email: String?
    let name: String?
    let disabled: Bool
    let groups: [String]
    let roles: [String]
    let password_scheme: String
    let created_at: String

    init(_ user: User) {
        id = user.id
        username = user.username
        email = user.email
        name = user.name
        disabled = user.disabled
        groups = user.groups
        roles = user.roles
        password_scheme = PasswordScheme(hash: user.passwordHash)?.rawValue ?? "unknown"
        created_at = ISO8601DateFormatter().string(from: user.createdAt)
    }

    static func render(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
