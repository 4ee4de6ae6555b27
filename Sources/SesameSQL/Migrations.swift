/// The schema, as numbered steps. A step, once released, is never edited: changes are new steps.
/// Each step runs in its own transaction together with the row that records it.
enum Migrations {
    struct Step {
        var version: Int
        var name: String
        var statements: [String]
    }

    static let steps: [Step] = [
        Step(version: 1, name: "accounts, sessions, throttling, signing keys", statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                email TEXT UNIQUE COLLATE NOCASE,
                name TEXT,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE user_groups (
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                PRIMARY KEY (user_id, name)
            )
            """,
            """
            CREATE TABLE user_roles (
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                PRIMARY KEY (user_id, name)
            )
            """,
            """
            CREATE TABLE sessions (
                id_digest TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at REAL NOT NULL,
                last_seen_at REAL NOT NULL,
                authenticated_at REAL NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions(user_id)",
            """
            CREATE TABLE sign_in_failures (
                key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                last_failure_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                algorithm TEXT NOT NULL,
                public_jwk TEXT NOT NULL,
                sealed_private_key BLOB NOT NULL,
                created_at REAL NOT NULL
            )
            """,
        ]),
        Step(version: 2, name: "oauth clients, codes, tokens, consents, audit", statements: [
            "ALTER TABLE signing_keys ADD COLUMN superseded_at REAL",
            """
            CREATE TABLE clients (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                secret_digest TEXT,
                redirect_uris TEXT NOT NULL,
                post_logout_redirect_uris TEXT NOT NULL,
                grant_types TEXT NOT NULL,
                scopes TEXT NOT NULL,
                token_endpoint_auth_method TEXT NOT NULL,
                jwks_uri TEXT,
                jwks TEXT,
                first_party INTEGER NOT NULL DEFAULT 0,
                id_token_signed_response_alg TEXT NOT NULL,
                created_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE authorization_codes (
                digest TEXT PRIMARY KEY,
                family_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                redirect_uri TEXT NOT NULL,
                scope TEXT NOT NULL,
                nonce TEXT,
                code_challenge TEXT,
                session_id TEXT,
                auth_time REAL NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                used_at REAL
            )
            """,
            """
            CREATE TABLE refresh_tokens (
                digest TEXT PRIMARY KEY,
                family_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                session_id TEXT,
                auth_time REAL NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                used_at REAL
            )
            """,
            "CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)",
            "CREATE TABLE revoked_access_tokens (jti TEXT PRIMARY KEY, expires_at REAL NOT NULL, revoked_at REAL NOT NULL)",
            "CREATE TABLE revoked_families (family_id TEXT PRIMARY KEY, revoked_at REAL NOT NULL)",
            """
            CREATE TABLE consents (
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                scopes TEXT NOT NULL,
                granted_at REAL NOT NULL,
                PRIMARY KEY (user_id, client_id)
            )
            """,
            "CREATE TABLE assertion_jtis (jti TEXT NOT NULL, client_id TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (client_id, jti))",
            """
            CREATE TABLE audit_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                type TEXT NOT NULL,
                at REAL NOT NULL,
                actor TEXT,
                subject TEXT,
                client_id TEXT,
                client_address TEXT,
                detail TEXT
            )
            """,
        ]),
        Step(version: 3, name: "two-factor sign-in", statements: [
            """
            CREATE TABLE two_factor (
                user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                sealed_secret BLOB,
                enabled_at REAL,
                last_used_step INTEGER,
                pending_sealed_secret BLOB,
                pending_created_at REAL,
                required INTEGER NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE recovery_codes (
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                PRIMARY KEY (user_id, digest)
            )
            """,
            "CREATE TABLE two_factor_required_roles (role TEXT PRIMARY KEY)",
            """
            CREATE TABLE pending_sign_ins (
                id_digest TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at REAL NOT NULL
            )
            """,
            "ALTER TABLE clients ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE sessions ADD COLUMN auth_methods TEXT NOT NULL DEFAULT '[\"pwd\"]'",
            "ALTER TABLE authorization_codes ADD COLUMN auth_methods TEXT NOT NULL DEFAULT '[\"pwd\"]'",
            "ALTER TABLE refresh_tokens ADD COLUMN auth_methods TEXT NOT NULL DEFAULT '[\"pwd\"]'",
        ]),
        Step(version: 4, name: "cas services and tickets", statements: [
            """
            CREATE TABLE cas_services (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                pattern TEXT NOT NULL,
                attributes TEXT NOT NULL,
                proxy_callback_pattern TEXT,
                logout_url TEXT,
                require_two_factor INTEGER NOT NULL DEFAULT 0,
                created_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE cas_tickets (
                digest TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                service TEXT NOT NULL,
                service_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                session_id TEXT,
                from_new_login INTEGER NOT NULL,
                renew INTEGER NOT NULL,
                auth_time REAL NOT NULL,
                auth_methods TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                used_at REAL,
                sealed_ticket BLOB NOT NULL,
                proxies TEXT NOT NULL DEFAULT '[]'
            )
            """,
            "CREATE INDEX cas_tickets_session ON cas_tickets(session_id)",
        ]),
        Step(version: 5, name: "audit hash chain", statements: [
            "ALTER TABLE audit_events ADD COLUMN prev_hash TEXT",
            "ALTER TABLE audit_events ADD COLUMN hash TEXT",
            """
            CREATE TABLE audit_chain_anchor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                first_event_id INTEGER NOT NULL,
                prev_hash TEXT NOT NULL,
                pruned_at REAL NOT NULL
            )
            """,
            "CREATE INDEX audit_events_at ON audit_events(at)",
        ]),
        Step(version: 6, name: "roles, groups and permissions", statements: [
            // Names are case-insensitive: stored in lower case.
            """
            DELETE FROM user_roles WHERE name <> lower(name)
                AND EXISTS (SELECT 1 FROM user_roles other WHERE other.user_id = user_roles.user_id AND other.name = lower(user_roles.name))
            """,
            "UPDATE user_roles SET name = lower(name)",
            """
            DELETE FROM user_groups WHERE name <> lower(name)
                AND EXISTS (SELECT 1 FROM user_groups other WHERE other.user_id = user_groups.user_id AND other.name = lower(user_groups.name))
            """,
            "UPDATE user_groups SET name = lower(name)",
            "CREATE TABLE roles (name TEXT PRIMARY KEY, description TEXT, created_at REAL NOT NULL)",
            "CREATE TABLE role_permissions (role TEXT NOT NULL, permission TEXT NOT NULL, PRIMARY KEY (role, permission))",
            "CREATE TABLE access_groups (name TEXT PRIMARY KEY, description TEXT, created_at REAL NOT NULL)",
            "CREATE TABLE group_roles (group_name TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (group_name, role))",
            "INSERT INTO roles (name, created_at) SELECT DISTINCT name, 0 FROM user_roles WHERE true ON CONFLICT DO NOTHING",
            "INSERT INTO access_groups (name, created_at) SELECT DISTINCT name, 0 FROM user_groups WHERE true ON CONFLICT DO NOTHING",
            "CREATE INDEX user_roles_name ON user_roles(name)",
            "CREATE INDEX user_groups_name ON user_groups(name)",
            "CREATE INDEX group_roles_role ON group_roles(role)",
            "ALTER TABLE clients ADD COLUMN required_roles TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE clients ADD COLUMN required_groups TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE clients ADD COLUMN claims TEXT NOT NULL DEFAULT '[\"roles\",\"groups\",\"permissions\"]'",
            "ALTER TABLE cas_services ADD COLUMN required_roles TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE cas_services ADD COLUMN required_groups TEXT NOT NULL DEFAULT '[]'",
        ]),
        Step(version: 7, name: "front-channel logout", statements: [
            "ALTER TABLE clients ADD COLUMN frontchannel_logout_uri TEXT",
        ]),
        Step(version: 8, name: "sign-in attempts counted before they are checked", statements: [
            // The failure before the latest, so a success at an address can be taken back exactly.
            "ALTER TABLE sign_in_failures ADD COLUMN previous_failure_at REAL",
            "CREATE INDEX sign_in_failures_last ON sign_in_failures(last_failure_at)",
        ]),
        Step(version: 9, name: "resource servers may introspect", statements: [
            "ALTER TABLE clients ADD COLUMN resource_server INTEGER NOT NULL DEFAULT 0",
        ]),
        Step(version: 10, name: "cas proxy policy, the apps each session signed in to", statements: [
            "ALTER TABLE cas_services ADD COLUMN allowed_proxies TEXT NOT NULL DEFAULT '[]'",
            """
            CREATE TABLE session_clients (
                session_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                created_at REAL NOT NULL,
                PRIMARY KEY (session_id, client_id)
            )
            """,
        ]),
        Step(version: 12, name: "one sign-in transaction for every second factor", statements: [
            """
            CREATE TABLE sign_in_transactions (
                id_digest TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                browser_digest TEXT NOT NULL,
                auth_methods TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL
            )
            """,
            "CREATE INDEX sign_in_transactions_expires ON sign_in_transactions(expires_at)",
            // Replaced by sign_in_transactions; a half-finished sign-in at the upgrade starts again.
            "DROP TABLE pending_sign_ins",
        ]),
        Step(version: 13, name: "back-channel logout", statements: [
            "ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT",
        ]),
        Step(version: 14, name: "what a running server tells the CLI", statements: [
            // One row per fact, such as the issuer the server serves under (logout tokens sent by the CLI carry it).
            """
            CREATE TABLE server_state (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
        ]),
        Step(version: 16, name: "client display names", statements: [
            // What people see ("Team Wiki"); the name stays the identifier. NULL shows the name.
            "ALTER TABLE clients ADD COLUMN display_name TEXT",
        ]),
        Step(version: 17, name: "directories (LDAP, Active Directory)", statements: [
            // The configuration is JSON without the bind password, which is sealed with the data key
            // (bound to the directory's name) as signing keys are.
            """
            CREATE TABLE directories (
                name TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                configuration TEXT NOT NULL,
                sealed_bind_password BLOB NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
        ]),
        Step(version: 18, name: "users linked to a directory entry", statements: [
            // A user comes from one directory; the entry's immutable id (objectGUID, entryUUID) is the link.
            """
            CREATE TABLE directory_links (
                user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                directory TEXT NOT NULL,
                immutable_id TEXT NOT NULL,
                dn TEXT NOT NULL,
                last_seen_at REAL NOT NULL,
                UNIQUE (directory, immutable_id)
            )
            """,
        ]),
        Step(version: 19, name: "memberships that come from a directory", statements: [
            // Apart from user_groups and user_roles: replaced at each sign-in or sync, never by an admin's edit.
            "CREATE TABLE directory_user_groups (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL, PRIMARY KEY (user_id, name))",
            "CREATE TABLE directory_user_roles (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL, PRIMARY KEY (user_id, name))",
            "CREATE INDEX directory_user_groups_name ON directory_user_groups(name)",
            "CREATE INDEX directory_user_roles_name ON directory_user_roles(name)",
        ]),
    ]
}
