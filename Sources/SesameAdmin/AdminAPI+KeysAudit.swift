import Foundation
import Hummingbird
import SesameCore

extension AdminAPI {
    func registerKeysAndAudit(on api: RouterGroup<Context>) {
        api.get("keys", use: guarded { _, _, caller in
            try Self.json(Items(items: try await deps.signingKeyManagement(for: caller).keys().map(SigningKeyView.init)))
        })
        api.post("keys/rotate", use: guarded { _, _, caller in
            let keys = try await deps.signingKeyManagement(for: caller).rotate()
            return try Self.json(Items(items: keys.map(SigningKeyView.init)))
        })
        api.get("audit-events", use: guarded { request, _, _ in
            let query = try Self.auditQuery(request.uri.queryParameters)
            let events = try await deps.auditStore.auditEvents(query)
            let next = events.count == query.limit ? events.last.map { String($0.id) } : nil
            return try Self.json(AuditPage(items: events.map(AuditEventView.init), next_cursor: next))
        })
    }

    static func auditQuery(_ parameters: Parameters) throws -> AuditQuery {
        var query = AuditQuery()
        func date(_ name: String) throws -> Date? {
            guard let text = parameters[Substring(name)].map(String.init) else { return nil }
            guard let date = Timestamp.parse(text) else { throw Problem.invalid("\(name) must be an RFC 3339 date-time", field: name) }
            return date
        }
        query.since = try date("since")
        query.until = try date("until")
        query.actor = parameters["actor"].map(String.init)
        query.subject = parameters["subject"].map(String.init)
        query.type = parameters["type"].map(String.init)
        if let cursor = parameters["cursor"] {
            guard let id = Int(cursor), id >= 0 else { throw Problem.invalid("cursor is not one this API gave out", field: "cursor") }
            query.afterID = id
        }
        if let limit = parameters["limit"] {
            guard let value = Int(limit), (1...1000).contains(value) else { throw Problem.invalid("limit must be a whole number from 1 to 1000", field: "limit") }
            query.limit = value
        }
        return query
    }
}
