import Foundation

/// One entry of the audit trail: what happened, who did it, to whom, through which client, from
/// where. Secrets never go in here.
public struct AuditEvent: Sendable, Equatable {
    public var type: String
    public var at: Date
    public var actor: String?
    public var subject: String?
    public var clientID: String?
    public var clientAddress: String?
    public var detail: String?

    public init(type: String, at: Date, actor: String? = nil, subject: String? = nil, clientID: String? = nil, clientAddress: String? = nil, detail: String? = nil) {
        self.type = type
        self.at = at
        self.actor = actor
        self.subject = subject
        self.clientID = clientID
        self.clientAddress = clientAddress
        self.detail = detail
    }
}

/// A search of the audit log, newest last; `afterID` is the cursor of the page before.
public struct AuditQuery: Sendable, Equatable {
    public var since: Date?
    public var until: Date?
    public var actor: String?
    public var subject: String?
    public var type: String?
    public var afterID: Int
    public var limit: Int

    public init(since: Date? = nil, until: Date? = nil, actor: String? = nil, subject: String? = nil, type: String? = nil, afterID: Int = 0, limit: Int = 100) {
        self.since = since
        self.until = until
        self.actor = actor
        self.subject = subject
        self.type = type
        self.afterID = afterID
        self.limit = limit
    }
}

extension ChainedAuditEvent {
    /// One JSON object, as `sesame audit export` and the audit log lines write it.
    public var jsonLine: String {
        var object: [String: String] = ["id": String(id), "type": event.type, "at": AuditEvent.timestamp(event.at), "hash": hash, "prev_hash": previousHash]
        object["actor"] = event.actor
        object["subject"] = event.subject
        object["client_id"] = event.clientID
        object["client_address"] = event.clientAddress
        object["detail"] = event.detail
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension AuditEvent {
    /// The detail of a change: each field whose value changed, with its value before and after,
    /// as JSON with sorted keys; nil when nothing changed. Callers never pass secrets.
    public static func changes<Value: Encodable & Equatable>(_ fields: [String: (before: Value, after: Value)]) -> String? {
        let changed = fields.filter { $0.value.before != $0.value.after }.mapValues { ["before": $0.before, "after": $0.after] }
        guard !changed.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(changed)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The event as one JSON object (`"audit": true` marks it among other log lines).
    public var jsonLine: String {
        var object: [String: String] = ["audit": "true", "type": type, "at": Self.timestamp(at)]
        object["actor"] = actor
        object["subject"] = subject
        object["client_id"] = clientID
        object["client_address"] = clientAddress
        object["detail"] = detail
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

public protocol AuditStore: Sendable {
    /// Appends `events` to the end of the chain, in order, linking each to the one before.
    func append(_ events: [AuditEvent]) async throws
    /// Chained events with an id above `afterID`, oldest first.
    func auditChain(afterID: Int, limit: Int) async throws -> [ChainedAuditEvent]
    /// Where the chain starts after older events were pruned; nil when nothing was pruned.
    func auditChainAnchor() async throws -> AuditChainAnchor?
    /// Events matching `query`, oldest first, at most `query.limit`.
    func auditEvents(_ query: AuditQuery) async throws -> [ChainedAuditEvent]
}
