import Foundation
import NIOCore
import NIOPosix
import SesameLDAP
import SesameTestSupport

/// The real servers started by scripts/ldap-servers (scripts/test exports these variables).
struct ClientTestDirectory: Sendable {
    var url: LDAPURL
    var ldapsURL: LDAPURL
    var secondURL: LDAPURL
    var caFile: String
    var otherCAFile: String
    var bindDN: String
    var bindPassword: String
    var baseDN: String
    var bulkBaseDN: String

    static let current: ClientTestDirectory? = {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["SESAME_TEST_LDAP_URL"], let ldaps = env["SESAME_TEST_LDAPS_URL"],
            let second = env["SESAME_TEST_LDAP2_URL"], let ca = env["SESAME_TEST_LDAP_CA"],
            let bindDN = env["SESAME_TEST_LDAP_BIND_DN"], let password = env["SESAME_TEST_LDAP_BIND_PASSWORD"],
            let base = env["SESAME_TEST_LDAP_BASE_DN"]
        else { return nil }
        return try? ClientTestDirectory(
            url: LDAPURL(url), ldapsURL: LDAPURL(ldaps), secondURL: LDAPURL(second), caFile: ca,
            otherCAFile: env["SESAME_TEST_LDAP_OTHER_CA"] ?? "", bindDN: bindDN, bindPassword: password,
            baseDN: base, bulkBaseDN: env["SESAME_TEST_LDAP_BULK_BASE_DN"] ?? "ou=bulk,\(base)")
    }()

    static let missing = "SESAME_TEST_LDAP_URL etc. are not set: start the servers with `eval \"$(scripts/ldap-servers start /tmp/ldap)\"` (scripts/test does)"

    var tls: LDAPConnectionSettings { LDAPConnectionSettings(tls: .ca(file: caFile)) }

    func person(_ uid: String) -> String { "uid=\(uid),ou=people,\(baseDN)" }

    func client(_ servers: [LDAPURL]? = nil, settings: LDAPConnectionSettings? = nil, poolSize: Int = 4, poolWait: Duration = .seconds(5)) -> LDAPClient {
        LDAPClient(configuration: LDAPClientConfiguration(
            servers: servers ?? [url], connection: settings ?? LDAPConnectionSettings(), bindDN: bindDN,
            bindPassword: bindPassword, poolSize: poolSize, poolWait: poolWait))
    }
}

/// A slapd of the test's own (for SIGSTOP and for certificates made to order), so that stopping
/// it never stalls the shared servers other suites use at the same time.
final class ClientTestSlapd: Sendable {
    let directory: String
    let url: LDAPURL
    let ldapsURL: LDAPURL
    let pid: Int32
    let caFile: String
    static let suffix = "dc=l2,dc=test"
    static let serviceDN = "cn=service,dc=l2,dc=test"
    static let servicePassword = "service-password"
    static let aliceDN = "uid=alice,dc=l2,dc=test"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/slapd") && ClientTestDirectory.current != nil }

    /// Starts slapd with a fresh CA and a server certificate naming `subjectAltName`
    /// (an openssl SAN list such as "IP:127.0.0.1,DNS:localhost").
    init(subjectAltName: String = "IP:127.0.0.1,DNS:localhost", globalConfig: String = "") async throws {
        directory = NSTemporaryDirectory() + "l2-slapd-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory + "/db", withIntermediateDirectories: true)
        let d = directory
        // P-256 keys: quick to make, so that many slapd can start at once.
        try await Self.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(d)/ca.key", "-out", "\(d)/ca.pem", "-days", "2", "-subj", "/CN=L2 test CA")
        try await Self.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(d)/server.key", "-out", "\(d)/server.csr", "-subj", "/CN=l2-test-server")
        try "subjectAltName=\(subjectAltName)\n".write(toFile: "\(d)/san.ext", atomically: true, encoding: .utf8)
        try await Self.run("openssl", "x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.pem", "-CAkey", "\(d)/ca.key", "-CAcreateserial", "-out", "\(d)/server.pem", "-days", "2", "-extfile", "\(d)/san.ext")
        caFile = "\(d)/ca.pem"
        let config = """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            pidfile \(d)/slapd.pid
            modulepath /usr/lib/ldap
            moduleload back_mdb
            TLSCACertificateFile \(d)/ca.pem
            TLSCertificateFile \(d)/server.pem
            TLSCertificateKeyFile \(d)/server.key
            \(globalConfig)
            database mdb
            maxsize 10485760
            suffix "\(Self.suffix)"
            rootdn "cn=admin,\(Self.suffix)"
            rootpw admin-password
            directory \(d)/db
            access to attrs=userPassword by self write by anonymous auth by * none
            access to * by self write by * read

            """
        try config.write(toFile: "\(d)/slapd.conf", atomically: true, encoding: .utf8)
        let ldif = """
            dn: \(Self.suffix)
            objectClass: dcObject
            objectClass: organization
            o: L2
            dc: l2

            dn: \(Self.serviceDN)
            objectClass: person
            cn: service
            sn: service
            userPassword: \(Self.servicePassword)

            dn: \(Self.aliceDN)
            objectClass: inetOrgPerson
            uid: alice
            cn: Alice
            sn: Liddell
            userPassword: alice-password

            """
        try ldif.write(toFile: "\(d)/data.ldif", atomically: true, encoding: .utf8)
        try await Self.run("/usr/sbin/slapadd", "-q", "-f", "\(d)/slapd.conf", "-l", "\(d)/data.ldif")
        // A port found free may be taken again before slapd binds it (suites start many at once),
        // and a loaded machine may take seconds to start one: a few tries, each waiting long enough.
        var started: (url: LDAPURL, ldapsURL: LDAPURL, pid: Int32)?
        for _ in 0..<3 where started == nil {
            let port = try await Self.freePort()
            let tlsPort = try await Self.freePort()
            let url = LDAPURL(scheme: .ldap, host: "127.0.0.1", port: port)
            // In the foreground (-d 0), so that the child is slapd itself and is reaped when it ends.
            let slapd = try ChildProcess("/usr/sbin/slapd", ["-d", "0", "-f", "\(d)/slapd.conf", "-h", "ldap://127.0.0.1:\(port)/ ldaps://127.0.0.1:\(tlsPort)/"])
            for _ in 0..<400 where started == nil && slapd.isRunning {
                try await Task.sleep(for: .milliseconds(50))
                // The port may answer for another suite's slapd that took it first (ours then
                // exits): slapd writes its pid file only once its own listeners are bound.
                guard Self.pidFile(in: d) == slapd.pid else { continue }
                if let connection = try? await LDAPConnection.connect(to: url) {
                    started = (url, LDAPURL(scheme: .ldaps, host: "127.0.0.1", port: tlsPort), slapd.pid)
                    await connection.close()
                }
            }
            if started == nil { kill(slapd.pid, SIGKILL) }
        }
        guard let started else { throw TestFailure("slapd did not start in \(d)") }
        url = started.url
        ldapsURL = started.ldapsURL
        pid = started.pid
    }

    /// Stops the process and returns once the kernel shows it stopped (SIGSTOP is delivered
    /// asynchronously; a request sent before that would still be answered).
    func pause() async throws {
        kill(pid, SIGSTOP)
        for _ in 0..<200 where !isStopped { try await Task.sleep(for: .milliseconds(10)) }
    }

    private var isStopped: Bool {
        // /proc/PID/stat: "pid (comm) S ...": the state follows the last ')'.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    }

    private static func pidFile(in directory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: "\(directory)/slapd.pid", encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func resume() { kill(pid, SIGCONT) }

    func stop() {
        // ChildProcess's own thread reaps it; nothing here blocks a concurrency thread.
        kill(pid, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a command to its end without blocking one of the few concurrency threads.
    static func run(_ arguments: String...) async throws {
        let path = arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/\(arguments[0])"
        let status = try await ChildProcess.run(path, Array(arguments.dropFirst()))
        guard status == 0 else { throw TestFailure("\(arguments.joined(separator: " ")) exited with \(status)") }
    }

    /// A port nobody listens on right now (bound then released).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// How long `body` took.
func elapsed(_ body: () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}
