import Foundation
import SesameCore

extension SQLStore: CASStore {
    public func insert(_ service: CASService) async throws {
        _ = try await write { db in
            do {
                return try await db.query(
                    """
                    INSERT INTO cas_services (id, name, pattern, attributes, proxy_callback_pattern, logout_url, require_two_factor,
                        required_roles, required_groups, allowed_proxies, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    Self.binds(service) + [service.createdAt.sql]
                )
            } catch let error as SQLError where error.isUniqueViolation(of: "cas_services.name") {
                throw ClientError.duplicateCASService(service.name)
            }
        }
    }

    public func casServices() async throws -> [CASService] {
        try await read { db in
            try await db.query("SELECT * FROM cas_services ORDER BY name").map { row in
                var service = CASService(
                    id: row.text("id") ?? "", name: row.text("name") ?? "", pattern: row.text("pattern") ?? "",
                    attributes: Self.list(row.text("attributes")), proxyCallbackPattern: row.text("proxy_callback_pattern"),
                    logoutURL: row.text("logout_url"), requireTwoFactor: row.int("require_two_factor") != 0, createdAt: row.date("created_at")
                )
                service.requiredRoles = Self.list(row.text("required_roles"))
                service.requiredGroups = Self.list(row.text("required_groups"))
                service.allowedProxies = Self.list(row.text("allowed_proxies"))
                return service
            }
        }
    }

    public func update(_ service: CASService) async throws {
        _ = try await write { db in
            try await db.query(
                """
                UPDATE cas_services SET id = ?, name = ?, pattern = ?, attributes = ?, proxy_callback_pattern = ?, logout_url = ?,
                    require_two_factor = ?, required_roles = ?, required_groups = ?, allowed_proxies = ?
                WHERE id = ?
                """,
                Self.binds(service) + [.text(service.id)]
            )
        }
    }

    private static func binds(_ service: CASService) -> [SQLValue] {
        [.text(service.id), .text(service.name), .text(service.pattern), .text(json(service.attributes)), service.proxyCallbackPattern.sql,
         service.logoutURL.sql, .integer(service.requireTwoFactor ? 1 : 0), .text(json(service.requiredRoles)), .text(json(service.requiredGroups)),
         .text(json(service.allowedProxies))]
    }

    public func deleteCASService(id: String) async throws -> Bool {
        try await write { db in !(try await db.query("DELETE FROM cas_services WHERE id = ? RETURNING id", [.text(id)])).isEmpty }
    }

    public func insert(_ ticket: CASTicketRecord) async throws {
        _ = try await write { db in
            try await db.query(
                """
                INSERT INTO cas_tickets (digest, kind, service, service_id, user_id, session_id, from_new_login, renew, auth_time,
                    auth_methods, created_at, expires_at, sealed_ticket, proxies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(ticket.digest), .text(ticket.kind), .text(ticket.service), .text(ticket.serviceID), .text(ticket.userID),
                 ticket.sessionID.sql, .integer(ticket.fromNewLogin ? 1 : 0), .integer(ticket.renew ? 1 : 0), ticket.authTime.sql,
                 .text(Self.json(ticket.authMethods)), ticket.createdAt.sql, ticket.expiresAt.sql,
                 .blob(ticket.sealedTicket), .text(Self.json(ticket.proxies))]
            )
        }
    }

    public func consumeCASTicket(digest: String, at: Date) async throws -> Consumption<CASTicketRecord> {
        try await consume(table: "cas_tickets", digest: digest, at: at, Self.casTicket)
    }

    public func casTicket(digest: String) async throws -> CASTicketRecord? {
        try await read { db in try await db.query("SELECT * FROM cas_tickets WHERE digest = ?", [.text(digest)]).first.map(Self.casTicket) }
    }

    public func casTickets(sessionID: String) async throws -> [CASTicketRecord] {
        try await read { db in
            try await db.query("SELECT * FROM cas_tickets WHERE session_id = ? AND kind = 'ST'", [.text(sessionID)]).map(Self.casTicket)
        }
    }

    @Sendable static func casTicket(_ row: SQLRow) -> CASTicketRecord {
        var record = CASTicketRecord(
            digest: row.text("digest") ?? "", kind: row.text("kind") ?? "", service: row.text("service") ?? "",
            serviceID: row.text("service_id") ?? "", userID: row.text("user_id") ?? "", sessionID: row.text("session_id"),
            fromNewLogin: row.int("from_new_login") != 0, renew: row.int("renew") != 0, authTime: row.date("auth_time"),
            authMethods: list(row.text("auth_methods")), createdAt: row.date("created_at"), expiresAt: row.date("expires_at"),
            sealedTicket: row.column("sealed_ticket")?.bytes ?? []
        )
        record.proxies = list(row.text("proxies"))
        return record
    }
}
