import ArgumentParser
import Foundation
import SesameAdmin
import SesameCore
import SesameSQL
import SesameSQLite

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.",
        subcommands: [
            UserAdd.self, UserList.self, UserShow.self, UserUpdate.self, UserSetPassword.self, UserDisable.self, UserEnable.self,
            UserDelete.self, UserImport.self, UserRequireTwoFactor.self, UserResetTwoFactor.self, UserSessions.self, UserRevokeSessions.self,
        ]
    )
}

/// Reads one line from stdin as a password (the trailing newline is not part of it).
func readPasswordFromStdin() throws -> String {
    guard let line = readLine(strippingNewline: true) else { throw AccountError.emptyPassword }
    return try AccountRules.validatePassword(line.hasSuffix("\r") ? String(line.dropLast()) : line)
}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user. Without --password-stdin, a random password is generated and printed once."
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "Letters, digits, '.', '_' or '-', at most 64.") var username: String
    @Option(help: "Email address (also accepted at sign-in).") var email: String?
    @Option(help: "Full name.") var name: String?
    @Flag(help: "Read the password from standard input.") var passwordStdin = false
    @Flag(help: "No local password: another configured authenticator signs this person in (set-password gives one later).")
    var noPassword = false

    func run() async throws {
        try await reportingErrors {
            if noPassword && passwordStdin { throw CLIError("--no-password and --password-stdin exclude each other") }
            let given = passwordStdin ? try readPasswordFromStdin() : nil
            try await Runtime.with(try common.resolved()) { runtime in
                let accounts = runtime.accounts
                if noPassword {
                    try await accounts.addUser(username: username, email: email, name: name, password: nil)
                    print("Created user \(username) without a local password.")
                    return
                }
                let password = given ?? accounts.generatePassword()
                try await accounts.addUser(username: username, email: email, name: name, password: password)
                if given == nil {
                    print("Created user \(username). Password (shown only now): \(password)")
                } else {
                    print("Created user \(username).")
                }
            }
        }
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")

    @OptionGroup var common: CommonOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let (users, views) = try await Runtime.with(try common.resolved()) { runtime in
                let users = try await runtime.store.users()
                return (users, json ? try await UserView.of(users, twoFactor: runtime.store) : [])
            }
            if json {
                print(try JSONOutput.render(views))
            } else {
                for user in users {
                    let status = user.disabled ? "disabled" : "enabled"
                    print([user.username, user.email ?? "-", user.name ?? "-", status].joined(separator: "\t"))
                }
            }
        }
    }
}

struct UserShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one user.")

    @OptionGroup var common: CommonOptions
    @Argument var username: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let (user, view) = try await Runtime.with(try common.resolved()) { runtime in
                let user = try await runtime.accounts.user(named: username)
                return (user, try await UserView.of([user], twoFactor: runtime.store)[0])
            }
            if json {
                print(try JSONOutput.render(view))
            } else {
                print("""
                    username:  \(user.username)
                    name:      \(user.name ?? "-")
                    email:     \(user.email ?? "-")
                    status:    \(user.disabled ? "disabled" : "enabled")
                    groups:    \(user.groups.isEmpty ? "-" : user.groups.joined(separator: ", "))
                    roles:     \(user.roles.isEmpty ? "-" : user.roles.joined(separator: ", "))
                    password:  \(user.passwordHash.map { PasswordScheme(hash: $0)?.rawValue ?? "unknown" } ?? "none (signed in by another authenticator)")
                    created:   \(ISO8601DateFormatter().string(from: user.createdAt))
                    """)
            }
        }
    }
}

struct UserUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a user's email or full name (an empty value clears it).")

    @OptionGroup var common: CommonOptions
    @Argument var username: String
    @Option(help: "Email address; \"\" clears it.") var email: String?
    @Option(help: "Full name; \"\" clears it.") var name: String?

    func run() async throws {
        try await reportingErrors {
            let (email, name) = (email.map { $0.isEmpty ? nil : $0 }, name.map { $0.isEmpty ? nil : $0 })
            try await Runtime.with(try common.resolved()) { try await $0.accounts.updateUser(username: username, email: email, name: name) }
            print("Updated \(username).")
        }
    }
}

struct UserSessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "List a user's sessions: id, started, last seen, methods.")

    @OptionGroup var common: CommonOptions
    @Argument var username: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let sessions = try await Runtime.with(try common.resolved()) { try await $0.accounts.sessions(username: username) }
            if json {
                print(try JSONOutput.render(sessions.map(SessionView.init)))
            } else {
                let format = ISO8601DateFormatter()
                for session in sessions {
                    print([session.idDigest, format.string(from: session.createdAt), format.string(from: session.lastSeenAt), session.authMethods.joined(separator: ",")]
                        .joined(separator: "\t"))
                }
            }
        }
    }
}

struct UserRevokeSessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-sessions", abstract: "End every session of a user, or one (--session ID from `user sessions`); their apps are told."
    )

    @OptionGroup var common: CommonOptions
    @Argument var username: String
    @Option(help: "End only this session.") var session: String?

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                let termination = try await runtime.sessionTermination()
                let accounts = runtime.accounts(termination)
                if let session {
                    await termination.finish(try await accounts.revokeSession(username: username, sessionID: session))
                } else {
                    await termination.finish(try await accounts.revokeSessions(username: username))
                }
            }
            print(session == nil ? "Ended the sessions of \(username)." : "Ended the session.")
        }
    }
}

struct UserSetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password", abstract: "Set a user's password (read from stdin); ends their sessions."
    )

    @OptionGroup var common: CommonOptions
    @Argument var username: String
    @Flag(help: "Read the password from standard input (required).") var passwordStdin = false

    func run() async throws {
        try await reportingErrors {
            guard passwordStdin else { throw CLIError("pass --password-stdin and write the password to standard input") }
            let password = try readPasswordFromStdin()
            try await Runtime.with(try common.resolved()) { runtime in
                let termination = try await runtime.sessionTermination()
                await termination.finish(try await runtime.accounts(termination).setPassword(username: username, password: password))
            }
            print("Password changed for \(username).")
        }
    }
}

struct UserDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Stop a user from signing in; ends their sessions.")

    @OptionGroup var common: CommonOptions
    @Argument var username: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                let termination = try await runtime.sessionTermination()
                await termination.finish(try await runtime.accounts(termination).setDisabled(username: username, true))
            }
            print("Disabled \(username).")
        }
    }
}

struct UserEnable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Let a disabled user sign in again.")

    @OptionGroup var common: CommonOptions
    @Argument var username: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { try await $0.accounts.setDisabled(username: username, false) }
            print("Enabled \(username).")
        }
    }
}

struct UserDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a user and their sessions.")

    @OptionGroup var common: CommonOptions
    @Argument var username: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                let termination = try await runtime.sessionTermination()
                await termination.finish(try await runtime.accounts(termination).deleteUser(username: username))
            }
            print("Deleted \(username).")
        }
    }
}

struct UserImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import users from a file: username:password[:group] [role ...] per line; all or nothing."
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "The users file, or - for standard input.") var file: String

    func run() async throws {
        try await reportingErrors {
            let text = try readInput(file)
            let parsed = try UsersFile(parsing: text)
            let created = try await Runtime.with(try common.resolved()) { try await $0.accounts.importUsers(parsed) }
            print("Imported \(created.count) user\(created.count == 1 ? "" : "s").")
        }
    }
}

struct UserRequireTwoFactor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "require-2fa", abstract: "Require two-step verification for a user (enrolment follows their next password)."
    )
    @OptionGroup var common: CommonOptions
    @Argument var username: String
    @Flag(help: "Stop requiring it.") var off = false

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { try await $0.accounts.setTwoFactorRequired(username: username, !off) }
            print(off ? "Two-step verification is no longer required for \(username)." : "Two-step verification is now required for \(username).")
        }
    }
}

struct UserResetTwoFactor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-2fa", abstract: "Remove a user's authenticator and recovery codes (a lost phone); written to the audit trail."
    )
    @OptionGroup var common: CommonOptions
    @Argument var username: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                let termination = try await runtime.sessionTermination()
                await termination.finish(try await runtime.accounts(termination).resetTwoFactor(username: username))
            }
            print("Two-step verification was reset for \(username); they set it up again at their next sign-in if it is required.")
        }
    }
}

struct TwoFactorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "two-factor", abstract: "Two-step verification policy.", subcommands: [TwoFactorRequireRole.self]
    )
}

struct TwoFactorRequireRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "require-role", abstract: "Require two-step verification for everyone with a role.")
    @OptionGroup var common: CommonOptions
    @Argument var role: String
    @Flag(help: "Stop requiring it.") var off = false

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                do {
                    try await runtime.accounts.setTwoFactorRequired(role: role, !off)
                } catch let error as AccessError {
                    throw CLIError(error.description)
                }
            }
            print(off ? "Role \(role) no longer requires two-step verification." : "Everyone with role \(role) must use two-step verification.")
        }
    }
}
