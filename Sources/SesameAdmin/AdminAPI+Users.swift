import Foundation
import Hummingbird
import SesameCore

struct UserCreate: Decodable {
    let username: String
    let password: String
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
            let user = try await deps.accounts(for: caller).addUser(username: body.username, email: body.email, name: body.name, password: body.password)
            return try Self.json(UserView(user, twoFactor: false), status: .created)
        })
        api.get("users/:username", use: guarded { _, context, _ in
            let user = try await user(context)
            return try Self.json(try await UserView.of([user], twoFactor: deps.twoFactor)[0])
        })
        api.patch("users/:username", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(UserUpdate.self, allowing: UserUpdate.members, from: request)
            let before = try await user(context)
            var user = before
            if case .value(let email) = body.email { user.email = try email.map(AccountRules.validateEmail) }
            if case .value(let name) = body.name { user.name = try name.map(AccountRules.validateName) }
            if case .value(let disabled) = body.disabled {
                guard let disabled else { throw Problem.invalid("'disabled' must be true or false, not null", field: "disabled") }
                user.disabled = disabled
            }
            user.updatedAt = Date()
            try await deps.users.update(user)
            if user.disabled && !before.disabled {
                _ = try await deps.sessionTermination.revokeAll(userID: user.id, actor: caller.actor)
            }
            await record("user.updated", caller, subject: user.id, changes: [
                "email": ([before.email].compactMap { $0 }, [user.email].compactMap { $0 }),
                "name": ([before.name].compactMap { $0 }, [user.name].compactMap { $0 }),
                "disabled": ([String(before.disabled)], [String(user.disabled)]),
            ])
            return try Self.json(try await UserView.of([user], twoFactor: deps.twoFactor)[0])
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
            let user = try await user(context)
            try await deps.twoFactor.resetTwoFactor(userID: user.id)
            await record("two_factor.reset", caller, subject: user.id)
            _ = try await deps.sessionTermination.revokeAll(userID: user.id, actor: caller.actor)
            return Self.noContent
        })
        api.get("users/:username/sessions", use: guarded { _, context, _ in
            let user = try await user(context)
            return try Self.json(Items(items: try await deps.sessions.sessions(userID: user.id).map(SessionView.init)))
        })
        api.delete("users/:username/sessions", use: guarded { _, context, caller in
            let user = try await user(context)
            _ = try await deps.sessionTermination.revokeAll(userID: user.id, actor: caller.actor)
            return Self.noContent
        })
        api.delete("users/:username/sessions/:session", use: guarded { _, context, caller in
            let user = try await user(context)
            let id = try Self.parameter(context, "session")
            guard let session = try await deps.sessions.sessions(userID: user.id).first(where: { $0.idDigest == id }) else { throw Problem.notFound("the session") }
            _ = try await deps.sessionTermination.revoke(session, actor: caller.actor, at: Date())
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
