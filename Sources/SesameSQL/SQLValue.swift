import Foundation

/// A value bound to or read from a statement, in the few types Sesame's schema uses. Dates are
/// stored as seconds since 1970 (`float`) in both stores, so rows move between them unchanged.
public enum SQLValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case float(Double)
    case blob([UInt8])
    case null

    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var integer: Int? {
        switch self {
        case .integer(let value): value
        case .float(let value): Int(exactly: value)
        default: nil
        }
    }

    public var double: Double? {
        switch self {
        case .float(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    public var bytes: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// One result row: its columns by name, in the order the statement returned them.
public struct SQLRow: Sendable {
    public let columns: [(name: String, value: SQLValue)]

    public init(columns: [(name: String, value: SQLValue)]) {
        self.columns = columns
    }

    public func column(_ name: String) -> SQLValue? {
        columns.first { $0.name == name }?.value
    }

    func text(_ name: String) -> String? { column(name)?.string }
    func date(_ name: String) -> Date { Date(timeIntervalSince1970: column(name)?.double ?? 0) }
    func optionalDate(_ name: String) -> Date? { column(name)?.double.map(Date.init(timeIntervalSince1970:)) }
    func int(_ name: String) -> Int { column(name)?.integer ?? 0 }
}

extension Date {
    var sql: SQLValue { .float(timeIntervalSince1970) }
}

extension Optional where Wrapped == String {
    var sql: SQLValue { map { .text($0) } ?? .null }
}
