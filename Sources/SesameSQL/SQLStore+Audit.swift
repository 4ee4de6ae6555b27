import Foundation
import SesameCore

extension SQLStore: AuditStore {
    public func append(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let serialize = database.dialect.serializeAuditAppends
        try await transaction { db in
            if let serialize { _ = try await db.query(serialize) }
            let previous = try await Self.chainHead(db)
            // Every way into the log is bounded, the CLI's direct appends too. Many rows per
            // INSERT: on PostgreSQL each statement is a round trip, and one per event let a burst
            // of grants queue behind the flush; the dialect says how many (MultiRowInserts). Rows
            // take their ids in VALUES order, the chain's order.
            let links = AuditChain.link(events.map(\.bounded), after: previous)
            var start = 0
            for size in database.dialect.multiRowInserts.chunks(links.count) {
                let chunk = links[start..<start + size]
                start += size
                var binds: [SQLValue] = []
                binds.reserveCapacity(chunk.count * 9)
                for link in chunk {
                    let e = link.event
                    binds += [.text(e.type), e.at.sql, e.actor.sql, e.subject.sql, e.clientID.sql, e.clientAddress.sql, e.detail.sql,
                              .text(link.previousHash), .text(link.hash)]
                }
                let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                _ = try await db.query(
                    "INSERT INTO audit_events (type, at, actor, subject, client_id, client_address, detail, prev_hash, hash) VALUES \(rows)", binds
                )
            }
        }
    }

    public func auditChain(afterID: Int, limit: Int) async throws -> [ChainedAuditEvent] {
        try await read { db in
            try await db.query(
                "SELECT * FROM audit_events WHERE id > ? AND hash IS NOT NULL ORDER BY id LIMIT ?", [.integer(afterID), .integer(limit)]
            ).map(Self.chainedEvent)
        }
    }

    public func auditEvents(_ query: AuditQuery) async throws -> [ChainedAuditEvent] {
        var conditions = ["id > ?", "hash IS NOT NULL"]
        var binds: [SQLValue] = [.integer(query.afterID)]
        if let since = query.since { conditions.append("at >= ?"); binds.append(since.sql) }
        if let until = query.until { conditions.append("at < ?"); binds.append(until.sql) }
        if let actor = query.actor { conditions.append("actor = ?"); binds.append(.text(actor)) }
        if let subject = query.subject { conditions.append("subject = ?"); binds.append(.text(subject)) }
        if let type = query.type { conditions.append("type = ?"); binds.append(.text(type)) }
        binds.append(.integer(max(1, min(query.limit, 1000))))
        let sql = "SELECT * FROM audit_events WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?"
        let values = binds
        return try await read { db in try await db.query(sql, values).map(Self.chainedEvent) }
    }

    public func auditChainAnchor() async throws -> AuditChainAnchor? {
        try await read { db in
            try await db.query("SELECT * FROM audit_chain_anchor WHERE id = 1").first.map {
                AuditChainAnchor(firstEventID: $0.int("first_event_id"), previousHash: $0.text("prev_hash") ?? "", prunedAt: $0.date("pruned_at"))
            }
        }
    }

    /// Deletes events older than `before`, recording where the chain now starts. Returns how many went.
    public func pruneAuditEvents(before: Date, at: Date) async throws -> Int {
        let serialize = database.dialect.serializeAuditAppends
        return try await transaction { db in
            if let serialize { _ = try await db.query(serialize) }
            guard let first = try await db.query(
                "SELECT id, prev_hash FROM audit_events WHERE at >= ? AND hash IS NOT NULL ORDER BY id LIMIT 1", [before.sql]
            ).first else {
                return 0  // everything is older: keep the newest events rather than leave no chain at all
            }
            let deleted = try await db.query("DELETE FROM audit_events WHERE id < ? RETURNING id", [.integer(first.int("id"))]).count
            if deleted > 0 {
                _ = try await db.query(
                    """
                    INSERT INTO audit_chain_anchor (id, first_event_id, prev_hash, pruned_at) VALUES (1, ?1, ?2, ?3)
                    ON CONFLICT (id) DO UPDATE SET first_event_id = ?1, prev_hash = ?2, pruned_at = ?3
                    """,
                    [.integer(first.int("id")), .text(first.text("prev_hash") ?? ""), at.sql]
                )
            }
            return deleted
        }
    }

    /// Events written before the chain existed (schema version 4 and older) are linked in id order
    /// once, at migration.
    func chainUnchainedAuditEvents() async throws {
        let serialize = database.dialect.serializeAuditAppends
        try await transaction { db in
            if let serialize { _ = try await db.query(serialize) }
            let unchained = try await db.query("SELECT * FROM audit_events WHERE hash IS NULL ORDER BY id")
            guard !unchained.isEmpty else { return }
            let events = unchained.map { Self.chainedEvent($0).event }
            for (row, link) in zip(unchained, AuditChain.link(events, after: try await Self.chainHead(db))) {
                _ = try await db.query(
                    "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?", [.text(link.previousHash), .text(link.hash), .integer(row.int("id"))]
                )
            }
        }
    }

    private static func chainHead(_ db: any SQLConnection) async throws -> String {
        if let last = try await db.query("SELECT hash FROM audit_events WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1").first?.text("hash") {
            return last
        }
        return try await db.query("SELECT prev_hash FROM audit_chain_anchor WHERE id = 1").first?.text("prev_hash") ?? AuditChain.genesis
    }

    @Sendable static func chainedEvent(_ row: SQLRow) -> ChainedAuditEvent {
        ChainedAuditEvent(
            id: row.int("id"),
            event: AuditEvent(
                type: row.text("type") ?? "", at: row.date("at"), actor: row.text("actor"), subject: row.text("subject"),
                clientID: row.text("client_id"), clientAddress: row.text("client_address"), detail: row.text("detail")
            ),
            previousHash: row.text("prev_hash") ?? "", hash: row.text("hash") ?? ""
        )
    }
}
