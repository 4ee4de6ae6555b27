import ArgumentParser
import Foundation
import SesameCore

/// The settings `directory add` and `directory update` share. On `update`, what is given replaces
/// the current value and what is not given stays.
struct DirectoryOptions: ParsableArguments {
    @Option(name: .customLong("url"), help: "ldaps://host[:port] or ldap://host[:port], tried in order (repeatable; replaces the list).")
    var urls: [String] = []
    @Option(name: .customLong("bind-dn"), help: "The service account that searches the directory.") var bindDN: String?
    @Option(name: .customLong("bind-password-file"), help: "A file holding the service account's password (or - for standard input).")
    var bindPasswordFile: String?
    @Option(name: .customLong("base-dn"), help: "Where people are searched, e.g. DC=example,DC=com.") var baseDN: String?
    @Option(help: "active-directory, openldap or generic: the defaults for everything not set here.") var profile: String?
    @Option(name: .customLong("user-filter"), help: "The search for one person, with {login}, e.g. (&(objectClass=person)(uid={login})) ('' for the profile's).")
    var userFilter: String?
    @Option(name: .customLong("list-filter"), help: "The search for everyone, for a sync ('' for the profile's).") var listFilter: String?
    @Option(name: .customLong("login-attribute"), help: "An attribute a login is compared with (repeatable; replaces the profile's).")
    var loginAttributes: [String] = []
    @Option(name: .customLong("map-group"), help: "A directory group (DN or cn) that gives what the --to-role / --to-group after it name (repeatable; replaces the rules).")
    var mapGroups: [String] = []
    @Option(name: .customLong("to-role"), help: "A Sesame role the preceding --map-group gives.") var toRoles: [String] = []
    @Option(name: .customLong("to-group"), help: "A Sesame group the preceding --map-group gives.") var toGroups: [String] = []
    @Option(name: .customLong("group-search-base"), help: "Where groups are searched ('' for the base DN).") var groupSearchBase: String?
    @Option(name: .customLong("group-filter"), help: "The groups that hold a person, with {dn} ('' for none).") var groupFilter: String?
    @Option(name: .customLong("nesting"), help: "Nested groups: in-chain (Active Directory), expand or off.") var nesting: String?
    @Option(name: .customLong("start-tls"), help: "true: StartTLS on ldap:// URLs.") var startTLS: Bool?
    @Option(name: .customLong("ca-file"), help: "A PEM file of the CA certificates to trust ('' for the system's).") var caFile: String?
    @Flag(name: .customLong("insecure-skip-verify"), help: "FOR TESTS ONLY: do not check the directory's certificate or host name.")
    var insecureSkipVerify = false
    @Option(name: .customLong("verify-certificates"), help: "true turns certificate checks back on after --insecure-skip-verify.")
    var verifyCertificates: Bool?
    @Option(help: "Where it stands among directories in `authenticators: directories` (lower first).") var position: Int?
    @Option(name: .customLong("connect-timeout"), help: "Seconds to connect (and finish TLS).") var connectTimeout: Double?
    @Option(name: .customLong("operation-timeout"), help: "Seconds an operation may take.") var operationTimeout: Double?
    @Option(name: .customLong("pool-size"), help: "Service-account connections kept open.") var poolSize: Int?
    @Option(help: "false: not asked at sign-in and not synced.") var enabled: Bool?

    /// Applies what was given to `configuration`; `arguments` are the raw ones, for the order of
    /// the group rules (each --to-role / --to-group belongs to the --map-group before it).
    func apply(to configuration: inout DirectoryConfiguration, arguments: [String]) throws {
        if !urls.isEmpty { configuration.urls = urls }
        if let bindDN { configuration.bindDN = bindDN }
        if let bindPasswordFile { configuration.bindPassword = try Self.readSecret(bindPasswordFile) }
        if let baseDN { configuration.baseDN = baseDN }
        if let profile {
            guard let parsed = DirectoryProfile(rawValue: profile) else {
                throw CLIError("profile '\(profile)' must be one of \(DirectoryProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            configuration.profile = parsed
        }
        if let userFilter { configuration.userFilter = userFilter.isEmpty ? nil : userFilter }
        if let listFilter { configuration.listFilter = listFilter.isEmpty ? nil : listFilter }
        if !loginAttributes.isEmpty { configuration.loginAttributes = loginAttributes }
        if !mapGroups.isEmpty || !toRoles.isEmpty || !toGroups.isEmpty { configuration.groupRules = try Self.groupRules(arguments) }
        if groupSearchBase != nil || groupFilter != nil || nesting != nil {
            var groups = configuration.effectiveGroups
            if let groupSearchBase { groups.searchBase = groupSearchBase.isEmpty ? nil : groupSearchBase }
            if let groupFilter { groups.searchFilter = groupFilter.isEmpty ? nil : groupFilter }
            if let nesting {
                guard let parsed = DirectoryNesting(rawValue: nesting) else {
                    throw CLIError("nesting '\(nesting)' must be one of \(DirectoryNesting.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                groups.nesting = parsed
            }
            configuration.groups = groups
        }
        if let startTLS { configuration.startTLS = startTLS }
        if let caFile { configuration.caFile = caFile.isEmpty ? nil : caFile }
        if insecureSkipVerify {
            FileHandle.standardError.write(Data("warning: --insecure-skip-verify: the directory's certificate and host name are NOT checked; anyone on the path can read every password. For tests only.\n".utf8))
            configuration.verifyCertificates = false
        }
        if let verifyCertificates { configuration.verifyCertificates = verifyCertificates }
        if let position { configuration.position = position }
        if let connectTimeout { configuration.connectTimeout = connectTimeout }
        if let operationTimeout { configuration.operationTimeout = operationTimeout }
        if let poolSize { configuration.poolSize = poolSize }
        if let enabled { configuration.enabled = enabled }
    }

    /// A password file's first line (a trailing newline is not part of the password).
    static func readSecret(_ file: String) throws -> String {
        // On Unicode scalars: as Characters, a CRLF ending is one "\r\n" that neither "\n" nor "\r" matches.
        var line = try readInput(file).unicodeScalars.prefix { $0 != "\n" }
        if line.last == "\r" { line = line.dropLast() }
        let password = String(String.UnicodeScalarView(line))
        guard !password.isEmpty else { throw CLIError("the bind password file '\(file)' is empty") }
        return password
    }

    /// `--map-group G --to-role R --to-group H --map-group G2 --to-role R2`, in the order given.
    static func groupRules(_ arguments: [String]) throws -> [DirectoryGroupRule] {
        var rules: [DirectoryGroupRule] = []
        var index = 0
        func value(_ name: String) throws -> String? {
            let argument = arguments[index]
            if argument == "--" + name {
                index += 1
                guard index < arguments.count else { throw CLIError("--\(name) needs a value") }
                return arguments[index]
            }
            if argument.hasPrefix("--" + name + "=") { return String(argument.dropFirst(name.count + 3)) }
            return nil
        }
        while index < arguments.count {
            if let group = try value("map-group") {
                rules.append(DirectoryGroupRule(match: group))
            } else if let role = try value("to-role") {
                guard !rules.isEmpty else { throw CLIError("--to-role \(role) must follow a --map-group") }
                rules[rules.count - 1].roles.append(role)
            } else if let group = try value("to-group") {
                guard !rules.isEmpty else { throw CLIError("--to-group \(group) must follow a --map-group") }
                rules[rules.count - 1].groups.append(group)
            }
            index += 1
        }
        // `--map-group ''` alone removes every rule (on update).
        if rules.count == 1, rules[0].match.isEmpty, rules[0].roles.isEmpty, rules[0].groups.isEmpty { return [] }
        if let empty = rules.first(where: { $0.roles.isEmpty && $0.groups.isEmpty }) {
            throw CLIError("--map-group \(empty.match) needs a --to-role or --to-group after it")
        }
        return rules
    }
}
