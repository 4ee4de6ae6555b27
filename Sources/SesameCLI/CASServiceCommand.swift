import ArgumentParser
import Foundation
import SesameCore
import SesameSQL
import SesameSQLite

struct CASServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cas-service", abstract: "Manage the applications that sign in over CAS.",
        subcommands: [CASServiceAdd.self, CASServiceList.self, CASServiceShow.self, CASServiceDelete.self]
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

    func run() async throws {
        try await reportingErrors {
            guard (1...100).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                throw CLIError("'\(name)' is not a valid name: use letters, digits, '.', '_' or '-'")
            }
            if pattern.hasPrefix("^") {
                guard (try? NSRegularExpression(pattern: pattern)) != nil else { throw CLIError("'\(pattern)' is not a valid regular expression") }
            } else {
                guard let url = URLComponents(string: pattern), ["https", "http"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
                    throw CLIError("a prefix pattern must be an absolute http(s) URL such as https://app.example.com/ (or start with ^ for a regular expression)")
                }
            }
            for attribute in attributes where !CASService.defaultAttributes.contains(attribute) {
                throw CLIError("unknown attribute '\(attribute)'; use email, name, groups or roles")
            }
            let service = CASService(
                id: SystemRandom().token(byteCount: 12), name: name, pattern: pattern, attributes: attributes,
                proxyCallbackPattern: proxyCallbackPattern, logoutURL: logoutURL, requireTwoFactor: requireTwoFactor, createdAt: Date()
            )
            try await Runtime.with(try common.resolved()) { try await $0.store.insert(service) }
            print("Registered CAS service \(name) for \(pattern).")
        }
    }
}

struct CASServiceList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List CAS services.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingErrors {
            for service in try await Runtime.with(try common.resolved(), { try await $0.store.casServices() }) {
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
            let services = try await Runtime.with(try common.resolved()) { try await $0.store.casServices() }
            guard let service = services.first(where: { $0.name.lowercased() == name.lowercased() }) else { throw CLIError("no CAS service named '\(name)'") }
            print("name: \(service.name)\npattern: \(service.pattern)\nattributes: \(service.releasedAttributes.joined(separator: " "))")
            print("logout_url: \(service.logoutURL ?? "-")\nrequire_2fa: \(service.requireTwoFactor)")
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
                guard let service = try await runtime.store.casServices().first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw CLIError("no CAS service named '\(name)'")
                }
                _ = try await runtime.store.deleteCASService(id: service.id)
            }
            print("Deleted CAS service \(name).")
        }
    }
}
