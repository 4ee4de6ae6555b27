import Foundation

/// Everything in a store as JSON lines, for moving between SQLite and PostgreSQL: a header line,
/// then one line per row, table by table in an order that keeps references valid. Values keep
/// their type (`{"s": text}`, `{"i": integer}`, `{"f": real}`, `{"b": base64}`, `null`), so a row
/// reads back exactly as it was, hashes and sealed key material included.
public enum StoreDump {
    /// Every table but `schema_migrations`, parents before children.
    public static let tables = [
        "users", "user_groups", "user_roles", "clients", "consents", "cas_services", "signing_keys", "two_factor",
        "recovery_codes", "two_factor_required_roles", "sessions", "session_clients", "sign_in_transactions", "sign_in_failures",
        "authorization_codes", "refresh_tokens", "revoked_access_tokens", "revoked_families", "assertion_jtis", "cas_tickets", "audit_events", "audit_chain_anchor",
        "roles", "role_permissions", "access_groups", "group_roles", "server_state",
        "directories", "directory_links", "directory_user_groups", "directory_user_roles",
    ]

    public struct Header: Codable, Equatable, Sendable {
        public var sesameExport: Int = 1
        public var schemaVersion: Int
        /// Identifies the data key that sealed the key material in this export (not the key itself).
        public var dataKeyID: String

        public init(schemaVersion: Int, dataKeyID: String) {
            self.schemaVersion = schemaVersion
            self.dataKeyID = dataKeyID
        }

        enum CodingKeys: String, CodingKey {
            case sesameExport = "sesame_export", schemaVersion = "schema_version", dataKeyID = "data_key_id"
        }
    }

    struct Line: Codable {
        var table: String
        var row: [String: Value]
    }

    enum Value: Codable {
        case value(SQLValue)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .value(.null)
                return
            }
            let object = try container.decode([String: Tagged].self)
            guard object.count == 1, let (tag, tagged) = object.first else {
                throw DumpError("a value must be null or an object with one of s, i, f, b")
            }
            switch (tag, tagged) {
            case ("s", .string(let text)): self = .value(.text(text))
            case ("i", .number(let number)):
                guard let int = Int(exactly: number) else { throw DumpError("'i' must be a whole number") }
                self = .value(.integer(int))
            case ("f", .number(let number)): self = .value(.float(number))
            case ("b", .string(let base64)):
                guard let data = Data(base64Encoded: base64) else { throw DumpError("'b' must be base64") }
                self = .value(.blob(Array(data)))
            default: throw DumpError("unknown value tag '\(tag)'")
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            guard case .value(let value) = self else { return }
            switch value {
            case .text(let text): try container.encode(["s": text])
            case .integer(let int): try container.encode(["i": int])
            case .float(let double): try container.encode(["f": double])
            case .blob(let bytes): try container.encode(["b": Data(bytes).base64EncodedString()])
            case .null: try container.encodeNil()
            }
        }

        enum Tagged: Decodable {
            case string(String), number(Double)
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) { self = .string(text) } else { self = .number(try container.decode(Double.self)) }
            }
        }

        var sql: SQLValue {
            if case .value(let value) = self { return value }
            return .null
        }
    }

    /// Writes the header and every row to `output`, a line at a time.
    public static func export(_ store: SQLStore, dataKeyID: String, to output: (String) throws -> Void) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let version = try await store.appliedMigrations().last ?? 0
        try output(String(decoding: try encoder.encode(Header(schemaVersion: version, dataKeyID: dataKeyID)), as: UTF8.self))
        for table in tables {
            let order = table == "audit_events" ? " ORDER BY id" : ""
            let rows = try await store.read { try await $0.query("SELECT * FROM \(table)\(order)") }
            for row in rows {
                var values: [String: Value] = [:]
                for column in row.columns { values[column.name] = .value(column.value) }
                try output(String(decoding: try encoder.encode(Line(table: table, row: values)), as: UTF8.self))
            }
        }
    }

    /// Reads the header of an export.
    public static func header(_ line: String) throws -> Header {
        do {
            return try JSONDecoder().decode(Header.self, from: Data(line.utf8))
        } catch {
            throw DumpError("line 1 is not a Sesame export header")
        }
    }

    /// Loads rows (the lines after the header) into `store`, which must be empty and at the
    /// export's schema version. All or nothing: one transaction. Returns rows loaded per table.
    public static func load(_ lines: [String], header: Header, into store: SQLStore) async throws -> [String: Int] {
        let version = try await store.appliedMigrations().last ?? 0
        guard header.schemaVersion == version else {
            throw DumpError("the export is at schema version \(header.schemaVersion) and this database at \(version); use the same Sesame version for both")
        }
        var parsed: [(table: String, columns: [String], values: [SQLValue])] = []
        let decoder = JSONDecoder()
        let known = Set(tables)
        for (index, text) in lines.enumerated() where !text.isEmpty {
            let number = index + 2
            let line: Line
            do {
                line = try decoder.decode(Line.self, from: Data(text.utf8))
            } catch let error as DumpError {
                throw DumpError("line \(number): \(error.description)")
            } catch {
                throw DumpError("line \(number): not a row of a Sesame export")
            }
            guard known.contains(line.table) else { throw DumpError("line \(number): unknown table '\(line.table)'") }
            let columns = line.row.keys.sorted()
            guard !columns.isEmpty, columns.allSatisfy({ $0.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) } }) else {
                throw DumpError("line \(number): bad column names")
            }
            parsed.append((line.table, columns, columns.map { line.row[$0]!.sql }))
        }
        let rows = parsed
        let afterImport = store.database.dialect.afterImport
        return try await store.transaction { db in
            for table in tables {
                if try await !db.query("SELECT 1 FROM \(table) LIMIT 1").isEmpty {
                    throw DumpError("the target database is not empty (table \(table) has rows); import into a new database")
                }
            }
            var counts: [String: Int] = [:]
            for row in rows {
                let placeholders = Array(repeating: "?", count: row.columns.count).joined(separator: ", ")
                _ = try await db.query("INSERT INTO \(row.table) (\(row.columns.joined(separator: ", "))) VALUES (\(placeholders))", row.values)
                counts[row.table, default: 0] += 1
            }
            for statement in afterImport { _ = try await db.query(statement) }
            return counts
        }
    }
}

public struct DumpError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
