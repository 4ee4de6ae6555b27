import ArgumentParser
import Foundation
import SesameCore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the token signing keys.", subcommands: [KeysList.self, KeysRotate.self]
    )
}

struct KeysList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List signing keys, current and superseded.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingErrors {
            let keys = try await Runtime.with(try common.resolved()) { try await $0.signingKeys.keys() }
            let format = ISO8601DateFormatter()
            for key in keys {
                let state = key.supersededAt.map { "superseded \(format.string(from: $0))" } ?? "current"
                print([key.kid, key.algorithm, "created \(format.string(from: key.createdAt))", state].joined(separator: "\t"))
            }
        }
    }
}

struct KeysRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Make new current keys; old ones stay in the JWKS until the tokens they signed have expired. Running servers, on any instance, pick them up within the key refresh interval (10 s by default)."
    )
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingErrors {
            let keys = try await Runtime.with(try common.resolved()) { try await $0.signingKeys.rotate() }
            for key in keys { print("new current \(key.algorithm) key: \(key.kid)") }
        }
    }
}
