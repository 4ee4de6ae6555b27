@testable import SesameLDAP
import Testing

@Suite struct ClientUnitTests {
    @Test func urlsGiveSchemeHostAndDefaultPorts() throws {
        #expect(try LDAPURL("ldap://dc1.example.com") == LDAPURL(scheme: .ldap, host: "dc1.example.com", port: 389))
        #expect(try LDAPURL("LDAPS://dc1.example.com/") == LDAPURL(scheme: .ldaps, host: "dc1.example.com", port: 636))
        #expect(try LDAPURL("ldaps://[::1]:1636") == LDAPURL(scheme: .ldaps, host: "::1", port: 1636))
        #expect(try LDAPURL("ldap://127.0.0.1:38901").description == "ldap://127.0.0.1:38901")
        for bad in ["http://x", "ldap://", "ldap://host:0", "ldap://host:70000", "ldap://host:12a", "ldap://ho st",
                    "ldap://host/dc=example,dc=com", "ldap://[::1", "ldap://user@host"] {
            #expect(throws: LDAPClientError.self, "\(bad)") { try LDAPURL(bad) }
        }
    }

    @Test func backoffDoublesFromOneSecondUpToAMinuteAndResetsOnSuccess() {
        let delays = (1...9).map { LDAPServerHealth.backoff(afterFailures: $0, initial: .seconds(1), maximum: .seconds(60)) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        #expect(LDAPServerHealth.backoff(afterFailures: 1000, initial: .seconds(1), maximum: .seconds(60)) == .seconds(60))

        var health = LDAPServerHealth()
        let start = ContinuousClock.now
        health.recordFailure("refused", at: start, initial: .seconds(1), maximum: .seconds(60))
        health.recordFailure("refused", at: start, initial: .seconds(1), maximum: .seconds(60))
        #expect(!health.isAvailable(at: start + .milliseconds(1999)))
        #expect(health.isAvailable(at: start + .seconds(2)))
        #expect(health.lastError == "refused")
        health.recordSuccess()
        #expect(health.consecutiveFailures == 0)
        #expect(health.isAvailable(at: start))
    }

    @Test func ipLiteralsAreReadAsTheirBytes() {
        #expect(LDAPHostNameCheck.ipAddressBytes("127.0.0.1") == [127, 0, 0, 1])
        #expect(LDAPHostNameCheck.ipAddressBytes("::1") == Array(repeating: 0, count: 15) + [1])
        #expect(LDAPHostNameCheck.ipAddressBytes("2001:db8::8:800:200c:417a") == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a])
        #expect(LDAPHostNameCheck.ipAddressBytes("::ffff:10.0.0.1") == Array(repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 1])
        for name in ["localhost", "dc1.example.com", "256.0.0.1", "1.2.3", "1::2::3", "12345::1", "1.2.3.4.5", ""] {
            #expect(LDAPHostNameCheck.ipAddressBytes(name) == nil, "\(name)")
        }
    }
}
