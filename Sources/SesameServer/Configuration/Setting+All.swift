/// Every setting, in the order `--help` and the README list them.
extension Setting {
    public static let dataDir = Setting(
        "data-dir", environment: "SESAME_DATA_DIR", default: "./sesame-data", scope: .everyCommand,
        "Where Sesame keeps its database and key file")
    public static let config = Setting(
        "config", environment: "SESAME_CONFIG", inConfigFile: false, scope: .everyCommand,
        "A YAML config file of settings, by config key")
    public static let database = Setting(
        "database", environment: "SESAME_DATABASE", shown: "none (SQLite)", scope: .everyCommand,
        "Use PostgreSQL instead of the embedded SQLite: postgres://USER[:PASS]@HOST:PORT/DB[?sslmode=require&pool=10]")
    public static let databasePasswordFile = Setting(
        "database-password-file", environment: "SESAME_DATABASE_PASSWORD_FILE", scope: .everyCommand,
        "Read the database password from this file, keeping it out of the URL")
    public static let dataKeyFile = Setting(
        "data-key-file", environment: "SESAME_DATA_KEY_FILE", shown: "DATA-DIR/data.key", scope: .everyCommand,
        "Read the data key from this file; every instance sharing a database needs the same key")
    public static let dataKey = Setting(
        "data-key", noFlag: true, environment: "SESAME_DATA_KEY", inConfigFile: false, shown: "the data key file", scope: .everyCommand,
        "The data key itself, in base64 (openssl rand -base64 32), instead of a key file")
    public static let listen = Setting(
        "listen", environment: "SESAME_LISTEN", default: "127.0.0.1:8080",
        "Address to listen on, HOST:PORT ([::1]:8080 for IPv6)")
    public static let issuer = Setting(
        "issuer", environment: "SESAME_ISSUER", shown: "`http://` + the listen address (a wildcard host becomes loopback)",
        "Public base URL of this server; https makes cookies Secure")
    public static let sessionIdleTimeout = Setting(
        "session-idle-timeout", environment: "SESAME_SESSION_IDLE_TIMEOUT", default: "8h",
        "End a session after this long unused, e.g. 30m, 8h")
    public static let sessionLifetime = Setting(
        "session-lifetime", environment: "SESAME_SESSION_LIFETIME", default: "7d",
        "End a session this long after sign-in, e.g. 12h, 7d")
    public static let logLevel = Setting(
        "log-level", environment: "SESAME_LOG_LEVEL", default: "info",
        "trace, debug, info, notice, warning, error or critical")
    public static let accessTokenLifetime = Setting(
        "access-token-lifetime", environment: "SESAME_ACCESS_TOKEN_LIFETIME", default: "10m",
        "Lifetime of access tokens, e.g. 10m")
    public static let refreshGracePeriod = Setting(
        "refresh-grace-period", environment: "SESAME_REFRESH_GRACE_PERIOD", default: "0", shown: "`0` (off)",
        "Answer a used refresh token again within this time, e.g. 10s, instead of revoking everything issued from it")
    public static let trustedProxies = Setting(
        "trusted-proxies", flag: "trusted-proxy", environment: "SESAME_TRUSTED_PROXIES", isList: true,
        "Believe X-Forwarded-For and X-Forwarded-Proto from this proxy address or CIDR block only")
    public static let keyRefreshInterval = Setting(
        "key-refresh-interval", environment: "SESAME_KEY_REFRESH_INTERVAL", default: "10s",
        "How often to reload signing keys from the database, so a rotation on one instance reaches the others")
    public static let auditLog = Setting(
        "audit-log", environment: "SESAME_AUDIT_LOG", shown: "off",
        "Also write each audit event as a JSON line to stdout, stderr or a file")
    public static let tlsCert = Setting(
        "tls-cert", environment: "SESAME_TLS_CERT",
        "Serve HTTPS with this PEM certificate chain (with --tls-key); without it, put a TLS-terminating proxy in front")
    public static let tlsKey = Setting(
        "tls-key", environment: "SESAME_TLS_KEY",
        "The PEM private key for --tls-cert")
    public static let authenticators = Setting(
        "authenticators", flag: "authenticator", environment: "SESAME_AUTHENTICATORS", isList: true,
        shown: "`directories, local` (`local` alone while no directory is enabled)",
        "A primary authenticator to ask at sign-in, in the order given: local, directories, directory:NAME; see Primary authenticators")
    public static let secondFactors = Setting(
        "second-factors", flag: "second-factor", environment: "SESAME_SECOND_FACTORS", isList: true,
        "A second factor to offer after TOTP and recovery codes (only the test-only test exists yet)")
    public static let directoryRefreshInterval = Setting(
        "directory-refresh-interval", environment: "SESAME_DIRECTORY_REFRESH_INTERVAL", default: "30s",
        "How often to re-read directory configurations, so a `sesame directory` change reaches a running server")
    public static let directoryCheckInterval = Setting(
        "directory-check-interval", environment: "SESAME_DIRECTORY_CHECK_INTERVAL", default: "5m", shown: "`5m` (`0`: off)",
        "How often to sync each enabled directory, so people disabled or removed there lose their sessions")
    // Deliberately a flag only (no environment variable or config key), so it cannot be left on unseen.
    public static let insecureProxyCallbackForTests = Setting(
        "insecure-proxy-callback-for-tests", environment: nil, inConfigFile: false, shown: "off",
        "FOR TESTS ONLY: let CAS proxy-granting tickets go to plain http callbacks on loopback; logs a warning at start")

    public static let all: [Setting] = [
        dataDir, config, database, databasePasswordFile, dataKeyFile, dataKey, listen, issuer, sessionIdleTimeout, sessionLifetime, logLevel,
        accessTokenLifetime, refreshGracePeriod, trustedProxies, keyRefreshInterval, auditLog, tlsCert, tlsKey, authenticators, secondFactors,
        directoryRefreshInterval, directoryCheckInterval, insecureProxyCallbackForTests,
    ]
}
