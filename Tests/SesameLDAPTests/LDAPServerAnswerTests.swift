import SesameLDAP
import Testing

/// Answers captured from a real OpenLDAP 2.5.13 slapd (ppolicy and memberof overlays) with
/// capture.py in this folder. The directory held: a default policy (pwdMaxAge 2000000000,
/// pwdExpireWarning 1999999999, lockout after 3 failures, pwdMustChange), a "short" policy
/// (pwdMaxAge 60, pwdGraceAuthNLimit 3), and the users alice (password changed recently), grace
/// (under the short policy, long expired), locked (pwdAccountLockedTime 000001010000Z) and
/// reset (pwdReset TRUE). The `ad…` answers come from the Samba 4.17 AD DC that scripts/ldap-servers
/// starts, over LDAPS (`capture.py ad`).
@Suite struct LDAPServerAnswerTests {
    static let captured: [(name: String, hex: String)] = [
        ("bindExpiryWarning", "303702010161070a010004000400a02930270419312e332e362e312e342e312e34322e322e32372e382e352e31040a3008a0068004770c36a1"),
        ("bindGraceLogins", "303402010161070a010004000400a02630240419312e332e362e312e342e312e34322e322e32372e382e352e3104073005a003810101"),
        ("bindAccountLocked", "303202010161070a013104000400a02430220419312e332e362e312e342e312e34322e322e32372e382e352e3104053003810101"),
        ("bindMustChange", "303202010161070a010004000400a02430220419312e332e362e312e342e312e34322e322e32372e382e352e3104053003810102"),
        ("bindWrongPassword", "300c02010161070a013104000400"),
        ("pagedSearchEntry", "305f020102645a04257569643d616c6963652c6f753d70656f706c652c64633d6578616d706c652c64633d636f6d303130180402636e31120410416c696365204ac3b67267656e73656e301504096a70656750686f746f31080406ffd8ffe00010"),
        ("pagedSearchDone", "303902010265070a010004000400a02b30290416312e322e3834302e3131333535362e312e342e333139040f300d02010004080600000000000000"),
        ("searchNoSuchObject", "301d02010365180a0120041164633d6578616d706c652c64633d636f6d0400"),
        ("whoAmI", "302b02010478260a0100040004008b1d646e3a636e3d61646d696e2c64633d6578616d706c652c64633d636f6d"),
        ("modify", "300c02010567070a010004000400"),
        ("passwordModifyGenerated", "301a02010678150a0100040004008b0c300a80086b6b6b3544324e32"),
        ("startTLSRefused", "302a02010778250a01020400041e756e737570706f7274656420657874656e646564206f7065726174696f6e"),
        ("noticeOfDisconnection", "3032020100782d0a01020400040e6465636f64696e67206572726f728a16312e332e362e312e342e312e313436362e3230303336"),
        ("adBindUnknownUser", "3063020101615e0a01310400045738303039303330383a204c6461704572723a20445349442d30433039303341392c20636f6d6d656e743a204163636570745365637572697479436f6e74657874206572726f722c2064617461203532652c207631646231"),
        ("adBindService", "300c02010161070a010004000400"),
        ("adSearchEntry", "3081a102010264819b0428434e3d736573616d652d7376632c434e3d55736572732c44433d736573616d652c44433d74657374306f3020040a6f626a656374475549443112041023328025cbfe74428f158e56df340cf5302b04096f626a656374536964311e041c0105000000000005150000008b2b4457d1c6d523d2bbe5474e040000301e040e73414d4163636f756e744e616d65310c040a736573616d652d737663"),
        ("adSearchReference", "303d020102733804366c646170733a2f2f736573616d652e746573742f434e3d436f6e66696775726174696f6e2c44433d736573616d652c44433d74657374"),
        ("adSearchDone", "303302010265070a010004000400a02530230416312e322e3834302e3131333535362e312e342e3331390409300702010104023100"),
    ]

    static func answer(_ name: String) throws -> LDAPMessage {
        try LDAPMessage(decoding: hex(try #require(captured.first { $0.name == name }).hex))
    }

    static func policy(_ name: String) throws -> (LDAPResult?, LDAPPasswordPolicyResponse?) {
        let message = try answer(name)
        return (message.operation.result, try LDAPPasswordPolicyResponse.find(in: message.controls))
    }

    @Test func bindResponsesWithThePasswordPolicyControl() throws {
        let (ok, warning) = try Self.policy("bindExpiryWarning")
        #expect(ok?.code == .success)
        #expect(warning == LDAPPasswordPolicyResponse(warning: .timeBeforeExpiration(0x770c_36a1)))
        #expect(try Self.policy("bindGraceLogins").1 == LDAPPasswordPolicyResponse(warning: .graceAuthNsRemaining(1)))
        let (locked, lockedPolicy) = try Self.policy("bindAccountLocked")
        #expect(locked?.code == .invalidCredentials)
        #expect(lockedPolicy == LDAPPasswordPolicyResponse(error: .accountLocked))
        let (reset, resetPolicy) = try Self.policy("bindMustChange")
        #expect(reset?.code == .success)
        #expect(resetPolicy == LDAPPasswordPolicyResponse(error: .changeAfterReset))
        let (wrong, none) = try Self.policy("bindWrongPassword")
        #expect(wrong == LDAPResult(code: .invalidCredentials))
        #expect(none == nil)
    }

    @Test func searchEntryAndPagedDone() throws {
        let entry = try Self.answer("pagedSearchEntry")
        #expect(entry.messageID == 2)
        #expect(entry.operation == .searchResultEntry(LDAPSearchEntry(dn: "uid=alice,ou=people,dc=example,dc=com", attributes: [
            LDAPAttribute(type: "cn", values: [Array("Alice Jörgensen".utf8)]),
            LDAPAttribute(type: "jpegPhoto", values: [[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]]),
        ])))
        let done = try Self.answer("pagedSearchDone")
        #expect(done.operation == .searchResultDone(.success))
        let page = try #require(try LDAPPagedResultsControl.find(in: done.controls))
        #expect(page.size == 0)
        #expect(page.cookie == [6, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func searchOfAMissingBaseNamesWhatMatched() throws {
        #expect(try Self.answer("searchNoSuchObject").operation == .searchResultDone(LDAPResult(code: .noSuchObject, matchedDN: "dc=example,dc=com")))
    }

    @Test func extendedResponses() throws {
        #expect(try Self.answer("whoAmI").operation == .extendedResponse(.success, name: nil, value: Array("dn:cn=admin,dc=example,dc=com".utf8)))
        #expect(try Self.answer("modify").operation == .modifyResponse(.success))
        guard case .extendedResponse(let result, nil, let value?) = try Self.answer("passwordModifyGenerated").operation else {
            Issue.record("no value")
            return
        }
        #expect(result.code == .success)
        #expect(try LDAPPasswordModifyResponse(decoding: value).generatedPassword == Array("kkk5D2N2".utf8))
        #expect(try Self.answer("startTLSRefused").operation == .extendedResponse(
            LDAPResult(code: .protocolError, diagnosticMessage: "unsupported extended operation")))
    }

    @Test func unsolicitedNoticeOfDisconnection() throws {
        let notice = try Self.answer("noticeOfDisconnection")
        #expect(notice.messageID == 0)
        #expect(notice.operation == .extendedResponse(LDAPResult(code: .protocolError, diagnosticMessage: "decoding error"), name: LDAPOID.noticeOfDisconnection))
    }

    @Test func activeDirectoryAnswers() throws {
        let refused = try #require(try Self.answer("adBindUnknownUser").operation.result)
        #expect(refused.code == .invalidCredentials)
        #expect(refused.diagnosticMessage.contains("data 52e"))
        #expect(try Self.answer("adBindService").operation == .bindResponse(.success))
        guard case .searchResultEntry(let entry) = try Self.answer("adSearchEntry").operation else {
            Issue.record("not an entry")
            return
        }
        #expect(entry.dn == "CN=sesame-svc,CN=Users,DC=sesame,DC=test")
        #expect(entry.values("objectguid") == [hex("23328025cbfe74428f158e56df340cf5")])
        #expect(entry.values("objectSid").first?.count == 28)
        #expect(entry.values("sAMAccountName") == [Array("sesame-svc".utf8)])
        #expect(try Self.answer("adSearchReference").operation == .searchResultReference(["ldaps://sesame.test/CN=Configuration,DC=sesame,DC=test"]))
        let done = try Self.answer("adSearchDone")
        #expect(done.operation == .searchResultDone(.success))
        #expect(try LDAPPagedResultsControl.find(in: done.controls) == LDAPPagedResultsControl(size: 1, cookie: [0x31, 0x00]))
    }

    @Test(arguments: 0..<captured.count)
    func capturedAnswersReencodeToTheSameBytes(_ index: Int) throws {
        // slapd writes DER-compatible BER, so SesameLDAP's DER reproduces its bytes exactly.
        let bytes = hex(Self.captured[index].hex)
        #expect(try LDAPMessage(decoding: bytes).encode() == bytes, "\(Self.captured[index].name)")
    }
}
