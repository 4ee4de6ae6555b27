import ArgumentParser
import Foundation
import SesameAdmin
import SesameCore
import SesameSQL

struct RoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Manage roles and the permissions they grant.",
        subcommands: [RoleAdd.self, RoleList.self, RoleShow.self, RoleDelete.self, RoleGrant.self, RoleRevoke.self, RoleAllow.self, RoleDisallow.self]
    )
}

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Manage groups, their members and the roles they carry.",
        subcommands: [GroupAdd.self, GroupList.self, GroupShow.self, GroupDelete.self, GroupAddMember.self, GroupRemoveMember.self, GroupAddRole.self, GroupRemoveRole.self]
    )
}

/// Finds the person an access command names (by username or email).
enum AccessNames {
    static func user(_ runtime: Runtime, _ username: String) async throws -> User {
        guard let user = try await runtime.store.user(login: username) else { throw CLIError("no user '\(username)'") }
        return user
    }
}

/// Runs `body` with the runtime, turning access errors into one-line CLI errors.
func withAccess(_ common: CommonOptions, _ body: (Runtime) async throws -> Void) async throws {
    try await reportingErrors {
        try await Runtime.with(try common.resolved()) { runtime in
            do {
                try await body(runtime)
            } catch let error as AccessError {
                throw CLIError(error.description)
            }
        }
    }
}

struct RoleAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a role: global (admin), or one application's own (--app intranet editor, named intranet:editor)."
    )
    @OptionGroup var common: CommonOptions
    @Argument(help: "The role's name.") var name: String
    @Option(help: "The client or CAS service the role belongs to.") var app: String?
    @Option(help: "What the role is for.") var description: String?
    @Option(name: .customLong("permission"), help: "A permission it grants, e.g. articles:publish (repeatable).") var permissions: [String] = []

    func run() async throws {
        try await withAccess(common) { runtime in
            let role = try await runtime.access.addRole(name: name, app: app, description: description, permissions: permissions)
            print("Added role \(role.name).")
        }
    }
}

struct RoleList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List roles: name, application, permissions.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await withAccess(common) { runtime in
            for role in try await runtime.store.roles() {
                print([role.name, role.app ?? "-", role.permissions.isEmpty ? "-" : role.permissions.joined(separator: ","), role.description ?? ""]
                    .joined(separator: "\t"))
            }
        }
    }
}

struct RoleShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one role as the admin API does (JSON).")
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await withAccess(common) { runtime in
            guard let role = try await runtime.store.role(name: name) else { throw AccessError.unknownRole(name) }
            print(try JSONOutput.render(RoleView(role)))
        }
    }
}

struct RoleDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a role; everyone who had it loses it.")
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await withAccess(common) { runtime in
            try await runtime.access.deleteRole(name: name)
            print("Deleted role \(name.lowercased()).")
        }
    }
}

struct RoleGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Give a user a role.")
    @OptionGroup var common: CommonOptions
    @Argument var role: String
    @Argument var user: String

    func run() async throws {
        try await withAccess(common) { runtime in
            let person = try await AccessNames.user(runtime, user)
            try await runtime.access.setRole(role, user: person, granted: true)
            print("Granted \(role.lowercased()) to \(person.username).")
        }
    }
}

struct RoleRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Take a role away from a user.")
    @OptionGroup var common: CommonOptions
    @Argument var role: String
    @Argument var user: String

    func run() async throws {
        try await withAccess(common) { runtime in
            let person = try await AccessNames.user(runtime, user)
            try await runtime.access.setRole(role, user: person, granted: false)
            print("Revoked \(role.lowercased()) from \(person.username).")
        }
    }
}

struct RoleAllow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allow", abstract: "Let a role grant a permission.")
    @OptionGroup var common: CommonOptions
    @Argument var role: String
    @Argument var permission: String

    func run() async throws {
        try await withAccess(common) { runtime in
            try await runtime.access.setPermission(permission, role: role, granted: true)
            print("Role \(role.lowercased()) now grants \(permission).")
        }
    }
}

struct RoleDisallow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disallow", abstract: "Stop a role granting a permission.")
    @OptionGroup var common: CommonOptions
    @Argument var role: String
    @Argument var permission: String

    func run() async throws {
        try await withAccess(common) { runtime in
            try await runtime.access.setPermission(permission, role: role, granted: false)
            print("Role \(role.lowercased()) no longer grants \(permission).")
        }
    }
}

struct GroupAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a group.")
    @OptionGroup var common: CommonOptions
    @Argument var name: String
    @Option(help: "What the group is.") var description: String?
    @Option(name: .customLong("role"), help: "A role every member gets (repeatable).") var roles: [String] = []

    func run() async throws {
        try await withAccess(common) { runtime in
            let group = try await runtime.access.addGroup(name: name, description: description, roles: roles)
            print("Added group \(group.name).")
        }
    }
}

struct GroupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List groups: name, roles, members.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await withAccess(common) { runtime in
            for group in try await runtime.store.groups() {
                print([group.name, group.roles.isEmpty ? "-" : group.roles.joined(separator: ","), group.members.isEmpty ? "-" : group.members.joined(separator: ",")]
                    .joined(separator: "\t"))
            }
        }
    }
}

struct GroupShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one group as the admin API does (JSON).")
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await withAccess(common) { runtime in
            guard let group = try await runtime.store.group(name: name) else { throw AccessError.unknownGroup(name) }
            print(try JSONOutput.render(GroupView(group)))
        }
    }
}

struct GroupDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a group; its members leave it.")
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await withAccess(common) { runtime in
            try await runtime.access.deleteGroup(name: name)
            print("Deleted group \(name.lowercased()).")
        }
    }
}

struct GroupAddMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-member", abstract: "Put a user in a group.")
    @OptionGroup var common: CommonOptions
    @Argument var group: String
    @Argument var user: String

    func run() async throws {
        try await withAccess(common) { runtime in
            let person = try await AccessNames.user(runtime, user)
            try await runtime.access.setMember(person, group: group, member: true)
            print("Added \(person.username) to \(group.lowercased()).")
        }
    }
}

struct GroupRemoveMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-member", abstract: "Take a user out of a group.")
    @OptionGroup var common: CommonOptions
    @Argument var group: String
    @Argument var user: String

    func run() async throws {
        try await withAccess(common) { runtime in
            let person = try await AccessNames.user(runtime, user)
            try await runtime.access.setMember(person, group: group, member: false)
            print("Removed \(person.username) from \(group.lowercased()).")
        }
    }
}

struct GroupAddRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-role", abstract: "Give every member of a group a role.")
    @OptionGroup var common: CommonOptions
    @Argument var group: String
    @Argument var role: String

    func run() async throws {
        try await withAccess(common) { runtime in
            try await runtime.access.setRole(role, group: group, granted: true)
            print("Members of \(group.lowercased()) now have \(role.lowercased()).")
        }
    }
}

struct GroupRemoveRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-role", abstract: "Stop a group carrying a role.")
    @OptionGroup var common: CommonOptions
    @Argument var group: String
    @Argument var role: String

    func run() async throws {
        try await withAccess(common) { runtime in
            try await runtime.access.setRole(role, group: group, granted: false)
            print("Members of \(group.lowercased()) no longer get \(role.lowercased()) from it.")
        }
    }
}
