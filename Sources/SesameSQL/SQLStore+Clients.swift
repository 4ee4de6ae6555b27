import Foundation

import SesameCore
import SesameJOSE
import SesameModels

extension SQLStore: ClientStore {
    public func insert(_ client: Client) async throws {
        _ = try await write { db in
            do {
                return try await db.query(
                    """
                    INSERT INTO clients (id, name, secret_digest, redirect_uris, post_logout_redirect_uris, grant_types, scopes,
                        token_endpoint_auth_method, jwks_uri, jwks, first_party, id_token_signed_response_alg, require_two_factor,
                        required_roles, required_groups, claims, frontchannel_logout_uri, resource_server, backchannel_logout_uri, display_name, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    Self.binds(client) + [client.createdAt.sql]
                )
            } catch let error as SQLError where error.isUniqueViolation(of: "clients.name") {
                throw ClientError.duplicateName(client.name)
            }
        }
    }

    public func client(id: String) async throws -> Client? {
        try await fetchClients("id = ?", [.text(id)]).first
    }

    public func client(name: String) async throws -> Client? {
        try await fetchClients("name = ?", [.text(name)]).first
    }

    public func clients() async throws -> [Client] {
        try await fetchClients("1 = 1", [])
    }

    public func update(_ client: Client) async throws {
        _ = try await write { db in
            try await db.query(
                """
                UPDATE clients SET id = ?, name = ?, secret_digest = ?, redirect_uris = ?, post_logout_redirect_uris = ?, grant_types = ?,
                    scopes = ?, token_endpoint_auth_method = ?, jwks_uri = ?, jwks = ?, first_party = ?, id_token_signed_response_alg = ?,
                    require_two_factor = ?, required_roles = ?, required_groups = ?, claims = ?, frontchannel_logout_uri = ?,
                    resource_server = ?, backchannel_logout_uri = ?, display_name = ?
                WHERE id = ?
                """,
                Self.binds(client) + [.text(client.id)]
            )
        }
    }

    public func delete(clientID: String) async throws -> Bool {
        try await write { db in
            !(try await db.query("DELETE FROM clients WHERE id = ? RETURNING id", [.text(clientID)])).isEmpty
        }
    }

    private func fetchClients(_ condition: String, _ binds: [SQLValue]) async throws -> [Client] {
        try await read { db in
            try await db.query("SELECT * FROM clients WHERE \(condition) ORDER BY name", binds).map { row in
                var client = Client(
                    id: row.text("id") ?? "", name: row.text("name") ?? "", secretDigest: row.text("secret_digest"),
                    redirectURIs: Self.list(row.text("redirect_uris")), postLogoutRedirectURIs: Self.list(row.text("post_logout_redirect_uris")),
                    grantTypes: Self.list(row.text("grant_types")).compactMap(GrantType.init), scopes: Self.list(row.text("scopes")),
                    tokenEndpointAuthMethod: TokenEndpointAuthMethod(rawValue: row.text("token_endpoint_auth_method") ?? "") ?? .clientSecretBasic,
                    jwksURI: row.text("jwks_uri"), jwks: row.text("jwks"), firstParty: row.int("first_party") != 0,
                    idTokenSignedResponseAlg: row.text("id_token_signed_response_alg") ?? "ES256", createdAt: row.date("created_at")
                )
                client.requireTwoFactor = row.int("require_two_factor") != 0
                client.requiredRoles = Self.list(row.text("required_roles"))
                client.requiredGroups = Self.list(row.text("required_groups"))
                client.accessClaims = Self.list(row.text("claims"))
                client.frontchannelLogoutURI = row.text("frontchannel_logout_uri")
                client.resourceServer = row.int("resource_server") != 0
                client.backchannelLogoutURI = row.text("backchannel_logout_uri")
                client.displayName = row.text("display_name")
                return client
            }
        }
    }

    private static func binds(_ c: Client) -> [SQLValue] {
        [
            .text(c.id), .text(c.name), c.secretDigest.sql, .text(json(c.redirectURIs)), .text(json(c.postLogoutRedirectURIs)),
            .text(json(c.grantTypes.map(\.rawValue))), .text(json(c.scopes)), .text(c.tokenEndpointAuthMethod.rawValue),
            c.jwksURI.sql, c.jwks.sql, .integer(c.firstParty ? 1 : 0), .text(c.idTokenSignedResponseAlg),
            .integer(c.requireTwoFactor ? 1 : 0), .text(json(c.requiredRoles)), .text(json(c.requiredGroups)), .text(json(c.accessClaims)),
            c.frontchannelLogoutURI.sql, .integer(c.resourceServer ? 1 : 0), c.backchannelLogoutURI.sql, c.displayName.sql,
        ]
    }

    /// Lists are kept as JSON arrays of strings, written and read without Foundation's coders
    /// (they showed in the refresh grant's profile: every refresh token row holds one).
    static func json(_ list: [String]) -> String {
        JSONObjectWriter.array(list)
    }

    static func list(_ text: String?) -> [String] {
        text.flatMap { try? JSONValue(parsing: $0.utf8) }?.strings ?? []
    }
}

extension SQLStore: ConsentStore {
    public func consentedScopes(userID: String, clientID: String) async throws -> [String] {
        try await read { db in
            Self.list(try await db.query("SELECT scopes FROM consents WHERE user_id = ? AND client_id = ?", [.text(userID), .text(clientID)]).first?.text("scopes"))
        }
    }

    public func saveConsent(userID: String, clientID: String, scopes: [String], at: Date) async throws {
        _ = try await write { db in
            try await db.query(
                """
                INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at
                """,
                [.text(userID), .text(clientID), .text(Self.json(scopes)), at.sql]
            )
        }
    }
}

extension SQLStore: AssertionReplayStore {
    public func rememberAssertion(jti: String, clientID: String, expiresAt: Date) async throws -> Bool {
        try await write { db in
            let rows = try await db.query(
                "INSERT INTO assertion_jtis (jti, client_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING jti",
                [.text(jti), .text(clientID), expiresAt.sql]
            )
            return !rows.isEmpty
        }
    }
}
