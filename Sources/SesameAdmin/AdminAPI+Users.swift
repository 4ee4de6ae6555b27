import Hummingbird
import SesameCore

struct UserCreate: Decodable {
    let username: String
    /// Required; null makes a person without a local password (another authenticator signs them
    /// in), as `user add --no-password`.
    let password: Patch<String>
    let email: String?
    let name: String?
    static let members: Set<String> = ["username", "password", "email", "name"]
}

struct UserUpdate: Decodable {
    let email: Patch<String>
    let name: Patch<String>
    let disabled: Patch<Bool>
    static let members: Set<String> = ["email", "name", "disabled"]
}

struct UsersImport: Decodable {
    /// The users file's text: `username:password[:group] [role ...]` per line.
    let users: String
    static let members: Set<String> = ["users"]
}

struct PasswordSet: Decodable {
    let password: String
    static let members: Set<String> = ["password"]
}

extension AdminAPI {
    func registerUsers(on api: RouterGroup<Context>) {
        api.get("users", use: guarded { _, _, _ in
            let users = try await deps.users.users()
            return try Self.json(Items(items: try await UserView.of(users, twoFactor: deps.twoFactor)))
        })
        api.post("users", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(UserCreate.self, allowing: UserCreate.members, from: request)
            guard case .value(let password) = body.password else { throw Problem.invalid("'password' is required (null for no local password)", field: "password") }
            let user = try await deps.accounts(for: caller).addUser(username: body.username, email: body.email, name: body.name, password: password)
            return try Self.json(UserView(user, twoFactor: false), status: .created)
        })
        api.get("users/:username", use: guarded { _, context, _ in
            let user = try await user(context)
            return try Self.json(try await UserView.of([user], twoFactor: deps.twoFactor)[0])
        })
        api.post("users/import", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(UsersImport.self, allowing: UsersImport.members, from: request)
            let created = try await deps.accounts(for: caller).importUsers(try UsersFile(parsing: body.users))
            return try Self.json(Items(items: try await UserView.of(created, twoFactor: deps.twoFactor)), status: .created)
        })
        // Each change is its own management operation, so a PATCH that disables records `user.disabled` as the CLI does.
        api.patch("users/:username", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(UserUpdate.self, allowing: UserUpdate.members, from: request)
            let accounts = deps.accounts(for: caller)
            let username = try await user(context).username
            if case .value(let disabled) = body.disabled, disabled == nil {
                throw Problem.invalid("'disabled' must be true or false, not null", field: "disabled")
            }
            try await accounts.updateUser(username: username, email: body.email.value, name: body.name.value)
            if case .value(let disabled?) = body.disabled, disabled != (try await accounts.user(named: username)).disabled {
                try await accounts.setDisabled(username: username, disabled)
            }
            return try Self.json(try await UserView.of([try await accounts.user(named: username)], twoFactor: deps.twoFactor)[0])
        })
        api.delete("users/:username", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).deleteUser(username: try await user(context).username)
            return Self.noContent
        })
        api.put("users/:username/password", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(PasswordSet.self, allowing: PasswordSet.members, from: request)
            try await deps.accounts(for: caller).setPassword(username: try await user(context).username, password: body.password)
            return Self.noContent
        })
        api.post("users/:username/reset-two-factor", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).resetTwoFactor(username: try await user(context).username)
            return Self.noContent
        })
        api.put("users/:username/require-two-factor", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).setTwoFactorRequired(username: try await user(context).username, true)
            return Self.noContent
        })
        api.delete("users/:username/require-two-factor", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).setTwoFactorRequired(username: try await user(context).username, false)
            return Self.noContent
        })
        api.get("users/:username/sessions", use: guarded { _, context, caller in
            let sessions = try await deps.accounts(for: caller).sessions(username: try await user(context).username)
            return try Self.json(Items(items: sessions.map(SessionView.init)))
        })
        api.delete("users/:username/sessions", use: guarded { _, context, caller in
            try await deps.accounts(for: caller).revokeSessions(username: try await user(context).username)
            return Self.noContent
        })
        api.delete("users/:username/sessions/:session", use: guarded { _, context, caller in
            let id = try Self.parameter(context, "session")
            try await deps.accounts(for: caller).revokeSession(username: try await user(context).username, sessionID: id)
            return Self.noContent
        })
        api.put("users/:username/roles/:role", use: guarded { _, context, caller in
            try await setUserRole(context, caller, granted: true)
        })
        api.delete("users/:username/roles/:role", use: guarded { _, context, caller in
            try await setUserRole(context, caller, granted: false)
        })
    }

    func user(_ context: Context) async throws -> User {
        let username = try Self.parameter(context, "username")
        guard let user = try await deps.users.user(username: username) else { throw Problem.notFound("the user '\(username)'") }
        return user
    }

    private func setUserRole(_ context: Context, _ caller: AdminCaller, granted: Bool) async throws -> Response {
        let user = try await user(context)
        try await deps.accessService(for: caller).setRole(try Self.parameter(context, "role"), user: user, granted: granted)
        return Self.noContent
    }
}
