import SesameLDAP
import Testing

@Suite struct LDAPControlTests {
    @Test func pagedResultsRequestAndResponse() throws {
        let control = LDAPPagedResultsControl(size: 500, cookie: [0xde, 0xad]).control()
        #expect(control.oid == "1.2.840.113556.1.4.319" && !control.criticality)
        #expect(control.value == hex("3008 020201f4 0402dead"))
        #expect(try LDAPPagedResultsControl(decoding: control) == LDAPPagedResultsControl(size: 500, cookie: [0xde, 0xad]))
        // The last page: an empty cookie.
        let last = LDAPControl(oid: LDAPOID.pagedResults, value: hex("3005 020100 0400"))
        #expect(try LDAPPagedResultsControl.find(in: [LDAPControl(oid: "1.2.3"), last]) == LDAPPagedResultsControl(size: 0, cookie: []))
        #expect(try LDAPPagedResultsControl.find(in: [LDAPControl(oid: "1.2.3")]) == nil)
        #expect(throws: LDAPMessageError.self) { try LDAPPagedResultsControl(decoding: LDAPControl(oid: LDAPOID.pagedResults)) }
        #expect(throws: LDAPMessageError.self) { try LDAPPagedResultsControl(decoding: LDAPControl(oid: LDAPOID.pagedResults, value: hex("3003 020101"))) }
        #expect(throws: LDAPMessageError.self) { try LDAPPagedResultsControl(decoding: LDAPControl(oid: LDAPOID.pagedResults, value: hex("3006 0201ff 0401 00"))) }
    }

    /// The value bytes as OpenLDAP's ppolicy overlay writes them (ber_printf "{t{ti}}" / "{te}").
    static let policyValues: [(String, LDAPPasswordPolicyResponse)] = [
        ("3000", LDAPPasswordPolicyResponse()),
        ("3007 a005 8003015180", LDAPPasswordPolicyResponse(warning: .timeBeforeExpiration(86400))),
        ("3005 a003 810102", LDAPPasswordPolicyResponse(warning: .graceAuthNsRemaining(2))),
        ("3003 810100", LDAPPasswordPolicyResponse(error: .passwordExpired)),
        ("3003 810101", LDAPPasswordPolicyResponse(error: .accountLocked)),
        ("3003 810102", LDAPPasswordPolicyResponse(error: .changeAfterReset)),
        ("3008 a003 810100 810100", LDAPPasswordPolicyResponse(warning: .graceAuthNsRemaining(0), error: .passwordExpired)),
        ("3003 810108", LDAPPasswordPolicyResponse(error: .passwordInHistory)),
    ]

    @Test(arguments: 0..<policyValues.count)
    func passwordPolicyResponses(_ index: Int) throws {
        let (value, expected) = Self.policyValues[index]
        let control = LDAPControl(oid: LDAPOID.passwordPolicy, value: hex(value))
        #expect(try LDAPPasswordPolicyResponse(decoding: control) == expected)
        #expect(expected.control.value == hex(value))
    }

    @Test func passwordPolicyRequestAndOddResponses() throws {
        #expect(LDAPPasswordPolicyControl.request == LDAPControl(oid: "1.3.6.1.4.1.42.2.27.8.5.1", criticality: false, value: nil))
        #expect(try LDAPPasswordPolicyResponse.find(in: []) == nil)
        #expect(try LDAPPasswordPolicyResponse(decoding: LDAPControl(oid: LDAPOID.passwordPolicy)) == LDAPPasswordPolicyResponse())
        for bad in ["3003 810109", "3003 8101ff", "3005 a003 820101", "3002 a000", "3003 830101", "3006 810100 810100"] {
            #expect(throws: LDAPMessageError.self, "\(bad)") { try LDAPPasswordPolicyResponse(decoding: LDAPControl(oid: LDAPOID.passwordPolicy, value: hex(bad))) }
        }
        #expect(LDAPPasswordPolicyResponse.Failure.allCases.map(\.rawValue) == Array(0...8))
    }

    @Test func passwordModifyValues() throws {
        let request = LDAPPasswordModifyRequest(oldPassword: Array("old".utf8), newPassword: Array("new".utf8))
        #expect(request.encode() == hex("300a 8103 6f6c64 8203 6e6577"))
        #expect(try LDAPPasswordModifyRequest(decoding: request.encode()) == request)
        #expect(LDAPPasswordModifyRequest().encode() == hex("3000"))
        #expect(try LDAPPasswordModifyResponse(decoding: nil) == LDAPPasswordModifyResponse())
        #expect(try LDAPPasswordModifyResponse(decoding: hex("3000")) == LDAPPasswordModifyResponse())
        #expect(try LDAPPasswordModifyResponse(decoding: hex("3005 8003 616263")).generatedPassword == Array("abc".utf8))
        #expect(throws: LDAPMessageError.self) { try LDAPPasswordModifyResponse(decoding: hex("3005 8103 616263")) }
    }

    @Test func oidsAreTheRegisteredOnes() {
        #expect(LDAPOID.startTLS == "1.3.6.1.4.1.1466.20037")
        #expect(LDAPOID.passwordModify == "1.3.6.1.4.1.4203.1.11.1")
        #expect(LDAPOID.whoAmI == "1.3.6.1.4.1.4203.1.11.3")
        #expect(LDAPOID.noticeOfDisconnection == "1.3.6.1.4.1.1466.20036")
    }
}
