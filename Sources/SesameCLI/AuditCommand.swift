import ArgumentParser
import Foundation
import SesameCore
import SesameSQL

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check and prune the tamper-evident audit log.", subcommands: [AuditVerify.self, AuditExport.self, AuditPrune.self]
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

struct AuditExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Stream audit events, oldest first, as JSON lines (with their chain hashes) or text."
    )
    @OptionGroup var common: CommonOptions
    @Option(help: "Only events at or after this date (YYYY-MM-DD or ISO 8601).") var since: String?
    @Option(help: "Only events before this date.") var until: String?
    @Option(help: "Only events of this type, e.g. sign_in.failed.") var type: String?
    @Option(help: "Only events about this subject (a user id).") var subject: String?
    @Option(help: "jsonl (default) or text.") var format = "jsonl"

    func run() async throws {
        try await reportingErrors {
            guard ["jsonl", "text"].contains(format) else { throw CLIError("--format must be jsonl or text") }
            let from = try since.map { text in try AuditCommand.parseDate(text).orThrow(CLIError("--since '\(text)' must be YYYY-MM-DD or an ISO 8601 time")) }
            let to = try until.map { text in try AuditCommand.parseDate(text).orThrow(CLIError("--until '\(text)' must be YYYY-MM-DD or an ISO 8601 time")) }
            try await Runtime.with(try common.resolved()) { runtime in
                var query = AuditQuery(since: from, until: to, subject: subject, type: type, limit: 1000)
                while true {
                    let page = try await runtime.store.auditEvents(query)
                    for stored in page {
                        if format == "jsonl" {
                            print(stored.jsonLine)
                        } else {
                            let e = stored.event
                            print([String(stored.id), ISO8601DateFormatter().string(from: e.at), e.type, e.actor ?? "-", e.subject ?? "-", e.clientID ?? "-",
                                   e.clientAddress ?? "-", e.detail ?? ""].joined(separator: "\t"))
                        }
                    }
                    guard let last = page.last, page.count == query.limit else { break }
                    query.afterID = last.id
                }
            }
        }
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
