import ArgumentParser
import Foundation
import SesameCore

struct CASServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cas-service", abstract: "Manage the applications that sign in over CAS.",
        subcommands: [CASServiceUpdate.self, CASServiceAdd.self, CASServiceList.self, CASServiceShow.self, CASServiceDelete.self]
    )
}

struct CASServiceAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a CAS service. A pattern starting with ^ is a regular expression matched against the whole service URL; anything else is a URL prefix."
    )
    @OptionGroup var common: CommonOptions
    @Argument var name: String
    @Option(help: "https://app.example.com/ (a prefix) or ^https://app\\.example\\.com/.*$ (a regular expression).") var pattern: String
    @Option(name: .customLong("attribute"), help: "An attribute to release: email, name, groups, roles (repeatable; default all four).")
    var attributes: [String] = []
    @Option(help: "Pattern that proxy callback URLs must match.") var proxyCallbackPattern: String?
    @Option(help: "Where single log-out requests go (default: the service URL).") var logoutURL: String?
    @Flag(name: .customLong("require-2fa"), help: "Everyone signing in to this service must use two-step verification.") var requireTwoFactor = false
    @Option(name: .customLong("require-role"), help: "Only people with this role get tickets (repeatable: any of them).") var requiredRoles: [String] = []
    @Option(name: .customLong("require-group"), help: "Only people in this group get tickets (repeatable: any of them).") var requiredGroups: [String] = []
    @Option(name: .customLong("allow-proxy-from"), help: "A CAS service whose proxy-granting tickets may get proxy tickets for this one (repeatable; default: none).")
    var allowedProxies: [String] = []

    func run() async throws {
        try await reportingErrors {
            var change = CASServiceChange()
            change.attributes = attributes
            change.proxyCallbackPattern = proxyCallbackPattern
            change.logoutURL = logoutURL
            change.requireTwoFactor = requireTwoFactor
            change.requiredRoles = requiredRoles
            change.requiredGroups = requiredGroups
            change.allowedProxies = allowedProxies
            try await Runtime.with(try common.resolved()) { runtime in
                _ = try await runtime.casServices.add(name: name, pattern: pattern, change)
            }
            print("Registered CAS service \(name) for \(pattern).")
        }
    }
}

struct CASServiceList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List CAS services.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingErrors {
            for service in try await Runtime.with(try common.resolved(), { try await $0.casServices.services() }) {
                print([service.name, service.pattern, service.releasedAttributes.joined(separator: ",")].joined(separator: "\t"))
            }
        }
    }
}

struct CASServiceShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one CAS service.")
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await reportingErrors {
            let service = try await Runtime.with(try common.resolved()) { try await $0.casServices.service(named: name) }
            print("name: \(service.name)\npattern: \(service.pattern)\nattributes: \(service.releasedAttributes.joined(separator: " "))")
            print("logout_url: \(service.logoutURL ?? "-")\nrequire_2fa: \(service.requireTwoFactor)")
            print("proxy_callback_pattern: \(service.proxyCallbackPattern ?? "-")\nallow_proxy_from: \(service.allowedProxies.joined(separator: " "))")
        }
    }
}

struct CASServiceDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a CAS service.")
    @OptionGroup var common: CommonOptions
    @Argument var name: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                try await runtime.casServices.delete(name: name)
            }
            print("Deleted CAS service \(name).")
        }
    }
}

struct CASServiceUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a CAS service; given lists replace the current ones.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The service's name.") var name: String
    @Option(help: "A new pattern: a URL prefix, or a regular expression starting with ^.") var pattern: String?
    @Option(name: .customLong("require-role"), help: "Only people with this role get tickets (repeatable; '' for nobody in particular).") var requiredRoles: [String] = []
    @Option(name: .customLong("require-group"), help: "Only people in this group get tickets (repeatable; '' for nobody in particular).") var requiredGroups: [String] = []
    @Option(name: .customLong("attribute"), help: "Attributes to release (repeatable; replaces the list).") var attributes: [String] = []
    @Option(name: .customLong("allow-proxy-from"), help: "A CAS service whose proxy-granting tickets may get proxy tickets for this one (repeatable; replaces the list; '' for none).")
    var allowedProxies: [String] = []
    @Option(help: "Pattern that proxy callback URLs must match ('' removes it).") var proxyCallbackPattern: String?
    @Option(help: "Where single log-out requests go ('' for the service URL).") var logoutURL: String?
    @Option(name: .customLong("require-2fa"), help: "true: everyone signing in to this service must use two-step verification.") var requireTwoFactor: Bool?

    func run() async throws {
        try await reportingErrors {
            var change = CASServiceChange()
            change.pattern = pattern
            func list(_ values: [String]) -> [String]? { values.isEmpty ? nil : values.filter { !$0.isEmpty } }
            change.requiredRoles = list(requiredRoles)
            change.requiredGroups = list(requiredGroups)
            change.attributes = list(attributes)
            change.allowedProxies = list(allowedProxies)
            change.proxyCallbackPattern = proxyCallbackPattern
            change.logoutURL = logoutURL
            change.requireTwoFactor = requireTwoFactor
            try await Runtime.with(try common.resolved()) { runtime in
                _ = try await runtime.casServices.update(name: name, change)
            }
            print("Updated CAS service \(name).")
        }
    }
}
