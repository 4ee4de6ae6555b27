import ArgumentParser
import Foundation
import SesameCore
import SesameSQL

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check and prune the tamper-evident audit log.", subcommands: [AuditVerify.self, AuditPrune.self]
    )
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every link of the audit hash chain; exits 1 and names the first broken link."
    )
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let check = try await runReporting {
            try await Runtime.with(try common.resolved()) { try await AuditChainVerifier(store: $0.store).verify() }
        }
        switch check {
        case .intact(let events):
            print("audit chain intact: \(events) events")
        case .broken(let id, let reason):
            print("audit chain broken at event \(id): \(reason)")
            throw ExitCode.failure
        }
    }
}

struct AuditPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Delete events older than a date, recording the hash at the cut so the rest still verifies."
    )
    @OptionGroup var common: CommonOptions

    @Option(help: "Delete events before this date (YYYY-MM-DD or an ISO 8601 time).")
    var before: String

    func run() async throws {
        try await reportingErrors {
            guard let date = AuditCommand.parseDate(before) else { throw CLIError("--before '\(before)' must be YYYY-MM-DD or an ISO 8601 time") }
            let deleted = try await Runtime.with(try common.resolved()) { try await $0.store.pruneAuditEvents(before: date, at: Date()) }
            print("pruned \(deleted) events before \(ISO8601DateFormatter().string(from: date))")
        }
    }
}

extension AuditCommand {
    static func parseDate(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}

/// Like `reportingErrors`, for commands that go on to use the result.
func runReporting<T>(_ body: () async throws -> T) async throws -> T {
    var result: T?
    try await reportingErrors { result = try await body() }
    return result!
}
