import ArgumentParser
import Foundation
import SesameCore
import SesameSQL

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything in the store (users, clients, CAS services, roles, keys, sessions, the audit chain) as JSON lines.",
        discussion: """
            Move from SQLite to PostgreSQL (or back) with `sesame export` from the old store and `sesame import` into the new one.
            Key material stays sealed with the data key: give the new store the same data key (--data-key-file).
            """
    )
    @OptionGroup var common: CommonOptions

    @Option(name: .shortAndLong, help: "Write to this file (created 0600) instead of standard output.")
    var output: String?

    func run() async throws {
        try await reportingErrors {
            let sink: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let handle = FileHandle(forWritingAtPath: output)
                else { throw CLIError("cannot write '\(output)'") }
                sink = handle
            } else {
                sink = FileHandle.standardOutput
            }
            try await Runtime.with(try common.resolved()) { runtime in
                try await StoreDump.export(runtime.store, dataKeyID: runtime.dataKey.id) { line in
                    sink.write(Data((line + "\n").utf8))
                }
            }
            if output != nil { try sink.close() }
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a `sesame export` into an empty store, all or nothing."
    )
    @OptionGroup var common: CommonOptions

    @Argument(help: "The export file, or - for standard input.")
    var file: String

    func run() async throws {
        try await reportingErrors {
            let text = try readInput(file)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let first = lines.first, !first.isEmpty else { throw CLIError("'\(file)' is empty") }
            let counts = try await Runtime.with(try common.resolved()) { runtime in
                do {
                    let header = try StoreDump.header(first)
                    guard header.dataKeyID == runtime.dataKey.id else {
                        throw CLIError("the export was sealed with another data key (\(header.dataKeyID), this one is \(runtime.dataKey.id)); give this store the same data key with --data-key-file")
                    }
                    return try await StoreDump.load(Array(lines.dropFirst()), header: header, into: runtime.store)
                } catch let error as DumpError {
                    throw CLIError(error.description)
                }
            }
            let total = counts.values.reduce(0, +)
            print("imported \(total) rows: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }
}
