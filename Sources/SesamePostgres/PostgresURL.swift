import Foundation

/// `postgres://USER:PASS@HOST:PORT/DB?sslmode=disable|prefer|require&pool=N`, as libpq and most
/// tools spell it. The password may instead come from a file (`--database-password-file`).
public struct PostgresURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var poolSize: Int

    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(parsing text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw PostgresURLError("database URL must look like postgres://USER:PASS@HOST:5432/DB")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresURLError("database URL has no user name: postgres://USER@HOST/DB")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw PostgresURLError("database URL names no database: postgres://USER@HOST/DB") }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = .prefer
        self.poolSize = 10
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init) else {
                    throw PostgresURLError("sslmode must be disable, prefer or require")
                }
                tls = mode
            case "pool":
                guard let size = item.value.flatMap(Int.init), (1...200).contains(size) else {
                    throw PostgresURLError("pool must be a number of connections from 1 to 200")
                }
                poolSize = size
            default:
                throw PostgresURLError("unknown database URL parameter '\(item.name)' (known: sslmode, pool)")
            }
        }
    }

    /// The URL without its password, for logs.
    public var redacted: String {
        "postgres://\(username)@\(host):\(port)/\(database)"
    }
}

public struct PostgresURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
