import ArgumentParser
import Foundation
import SesameAdmin
import SesameCore
import SesameSQL
import SesameServer

struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Sign people in with LDAP directories and Active Directory. A running server sees changes within --directory-refresh-interval (30 s).",
        subcommands: [
            DirectoryAdd.self, DirectoryList.self, DirectoryShow.self, DirectoryUpdate.self, DirectoryRemove.self, DirectorySyncCommand.self,
            DirectoryTest.self,
        ]
    )
}

extension Runtime {
    var directoryStore: SealedDirectoryStore { SealedDirectoryStore(store: store, sealer: dataKey.sealer) }

    var directories: DirectoryManagement {
        var service = DirectoryManagement(store: directoryStore)
        service.audit = audit
        return service
    }
}

struct DirectoryAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a directory. --url, --bind-dn, --bind-password-file, --base-dn and --profile are required."
    )
    @OptionGroup var common: CommonOptions
    @Argument(help: "Its name (letters, digits, '.', '_', '-'); `directory:NAME` in the authenticators setting.") var name: String
    @OptionGroup var options: DirectoryOptions

    func run() async throws {
        try await reportingErrors {
            for (value, flag) in [(options.urls.first, "--url"), (options.bindDN, "--bind-dn"), (options.bindPasswordFile, "--bind-password-file"),
                                  (options.baseDN, "--base-dn"), (options.profile, "--profile")] where value == nil {
                throw CLIError("\(flag) is required")
            }
            var configuration = DirectoryConfiguration(name: name, urls: [], bindDN: "", bindPassword: "", baseDN: "", profile: .generic)
            try options.apply(to: &configuration, arguments: CommandLine.arguments)
            try await Runtime.with(try common.resolved()) { runtime in
                _ = try await runtime.directories.add(configuration)
            }
            print("Added directory \(name) (\(configuration.profile.rawValue), \(configuration.urls.joined(separator: " "))).")
        }
    }
}

struct DirectoryList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List directories in sign-in order.")
    @OptionGroup var common: CommonOptions
    @Flag(help: "Print JSON, as the admin API's /directories shows them.") var json = false

    func run() async throws {
        try await reportingErrors {
            let directories = try await Runtime.with(try common.resolved()) { try await $0.directories.list() }
            if json {
                print(try JSONOutput.render(directories.map(DirectoryView.init)))
                return
            }
            for directory in directories {
                print([directory.name, String(directory.position), directory.profile.rawValue, directory.enabled ? "enabled" : "disabled",
                       directory.urls.joined(separator: ",")].joined(separator: "\t"))
            }
        }
    }
}

struct DirectoryShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one directory (never its bind password).")
    @OptionGroup var common: CommonOptions
    @Argument var name: String
    @Flag(help: "Print JSON, as the admin API's /directories/{name} shows it.") var json = false

    func run() async throws {
        try await reportingErrors {
            let d = try await Runtime.with(try common.resolved()) { try await $0.directories.show(name: name) }
            if json {
                print(try JSONOutput.render(DirectoryView(d)))
                return
            }
            let groups = d.effectiveGroups
            print("name: \(d.name)\nprofile: \(d.profile.rawValue)\nenabled: \(d.enabled)\nposition: \(d.position)")
            print("urls: \(d.urls.joined(separator: " "))\nstart_tls: \(d.startTLS)\nca_file: \(d.caFile ?? "-")\nverify_certificates: \(d.verifyCertificates)")
            print("bind_dn: \(d.bindDN)\nbind_password: (set, never shown)\nbase_dn: \(d.baseDN)")
            print("user_filter: \(d.effectiveUserFilter)\nlist_filter: \(d.effectiveListFilter)\nlogin_attributes: \(d.effectiveLoginAttributes.joined(separator: " "))")
            print("groups: member_of=\(groups.memberOf) search_filter=\(groups.searchFilter ?? "-") nesting=\(groups.nesting.rawValue)")
            for rule in d.groupRules {
                print("map_group: \(rule.match) -> roles [\(rule.roles.joined(separator: " "))] groups [\(rule.groups.joined(separator: " "))]")
            }
            print("timeouts: connect \(d.connectTimeout)s, operation \(d.operationTimeout)s\npool_size: \(d.poolSize)")
        }
    }
}

struct DirectoryUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a directory: what is given replaces the current value ('' puts an override back to the profile's)."
    )
    @OptionGroup var common: CommonOptions
    @Argument var name: String
    @OptionGroup var options: DirectoryOptions

    func run() async throws {
        try await reportingErrors {
            // Read before the store opens: a password file may be standard input.
            let password = try options.bindPasswordFile.map(DirectoryOptions.readSecret)
            var options = options
            options.bindPasswordFile = nil
            let arguments = CommandLine.arguments
            let given = options
            try await Runtime.with(try common.resolved()) { runtime in
                _ = try await runtime.directories.update(name: name) { configuration in
                    try given.apply(to: &configuration, arguments: arguments)
                    if let password { configuration.bindPassword = password }
                }
            }
            print("Updated directory \(name).")
        }
    }
}

struct DirectoryRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a directory. Its people stay as Sesame users (they cannot sign in until it is added again)."
    )
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                try await runtime.directories.remove(name: name)
            }
            print("Removed directory \(name).")
        }
    }
}

struct DirectorySyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Page through a directory (1000 entries at a time): create and update users, disable those gone or disabled there (ending their sessions)."
    )
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await reportingErrors {
            let report = try await Runtime.with(try common.resolved()) { runtime in
                let configuration = try await runtime.directoryStore.directory(name: name)
                guard let configuration else { throw DirectoryConfigurationError.unknown(name) }
                let gateway = try LDAPDirectoryGateway(configuration)
                defer { Task { await gateway.shutdown() } }
                let termination = try await runtime.sessionTermination()
                var sync = DirectorySync(
                    configuration: configuration, gateway: gateway, users: runtime.store, directories: runtime.directoryStore,
                    accounts: runtime.accounts(termination)
                )
                sync.audit = runtime.audit
                do {
                    return try await sync.run()
                } catch let error as DirectoryUnavailable {
                    throw CLIError("directory \(name) cannot be read to the end (nobody was disabled): \(error.description)")
                }
            }
            print("created \(report.created), updated \(report.updated), disabled \(report.disabled), unchanged \(report.unchanged)")
        }
    }
}

struct DirectoryTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Check each server (connection, TLS, service bind) and, with --user, one sign-in (the password is read from standard input). Exit status 1 if a step fails."
    )
    @OptionGroup var common: CommonOptions
    @Argument var name: String
    @Option(help: "Also try signing in as this login (its password is read from standard input, or asked for).") var user: String?

    func run() async throws {
        var passed = false
        try await reportingErrors {
            let password = try user.map { _ in try Self.readPassword() }
            let steps = try await Runtime.with(try common.resolved()) { runtime in
                guard let configuration = try await runtime.directoryStore.directory(name: name) else { throw DirectoryConfigurationError.unknown(name) }
                let gateway = try LDAPDirectoryGateway(configuration)
                let steps = await DirectoryDiagnosis(configuration: configuration, gateway: gateway).run(login: user, password: password)
                await gateway.shutdown()
                await runtime.audit.record(.directoryTested, actor: ManagementActor.cli.auditName, subject: "directory:\(name)",
                                           detail: directoryTestAuditDetail(login: user, steps: steps))
                return steps
            }
            for step in steps { print("\(step.ok ? "ok" : "FAILED")\t\(step.step)\t\(step.detail)") }
            passed = DirectoryDiagnosis.passed(steps)
        }
        if !passed { throw ExitCode.failure }
    }

    /// One line from standard input; on a terminal, asked for without echo.
    static func readPassword() throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            guard let typed = getpass("Password: ") else { throw CLIError("no password given") }
            return String(cString: typed)
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CLIError("write the password to standard input") }
        return line
    }
}
