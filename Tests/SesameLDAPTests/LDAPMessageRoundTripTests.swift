import SesameLDAP
import Testing

@Suite struct LDAPMessageRoundTripTests {
    static let result = LDAPResult(code: .referral, matchedDN: "dc=example,dc=com", diagnosticMessage: "go there", referral: ["ldap://b.example.com/dc=example,dc=com"])

    static let operations: [LDAPOperation] = [
        .bindRequest(LDAPBindRequest(name: "cn=x", authentication: .simple(password: [0, 1, 0xff]))),
        .bindRequest(LDAPBindRequest(name: "", authentication: .sasl(mechanism: "EXTERNAL", credentials: nil))),
        .bindRequest(LDAPBindRequest(name: "", authentication: .sasl(mechanism: "PLAIN", credentials: [1, 2]))),
        .bindResponse(LDAPResult(code: .invalidCredentials, diagnosticMessage: "80090308: LdapErr: DSID-0C09044E, data 52e, v4563")),
        .bindResponse(.success, serverSaslCreds: [9, 9]),
        .unbindRequest,
        .searchRequest(LDAPSearchRequest(base: "dc=x", scope: .baseObject, derefAliases: .findingBaseObject, sizeLimit: .max, timeLimit: 1,
                                         typesOnly: false, filter: .present("objectClass"), attributes: [])),
        .searchResultEntry(LDAPSearchEntry(dn: "cn=Jörg,dc=x", attributes: [
            LDAPAttribute(type: "objectGUID", values: [[0x00, 0xff, 0x10, 0x80]]),
            LDAPAttribute(type: "memberOf", values: [Array("cn=a,dc=x".utf8), Array("cn=b,dc=x".utf8)]),
            LDAPAttribute(type: "empty", values: []),
        ])),
        .searchResultReference(["ldap://a/dc=x", "ldap://b/dc=x"]),
        .searchResultDone(result),
        .modifyRequest(dn: "cn=x", changes: [LDAPModification(.replace, type: "sn", values: [])]),
        .modifyResponse(.success),
        .extendedRequest(name: "1.2.3", value: []),
        .extendedResponse(LDAPResult(code: .success), name: LDAPOID.whoAmI, value: Array("dn:cn=x".utf8)),
        .extendedResponse(LDAPResult(code: .protocolError)),
        .abandonRequest(messageID: 0),
    ]

    @Test(arguments: 0..<operations.count)
    func everyOperationRoundTrips(_ index: Int) throws {
        let message = LDAPMessage(messageID: Int32(index + 1), operation: Self.operations[index], controls: index % 2 == 0 ? [] : [
            LDAPControl(oid: "1.2.3.4", criticality: true, value: [1]), LDAPControl(oid: "1.2.3.5"),
        ])
        #expect(try roundTrip(message) == message)
    }

    @Test func operationsTheClientNeverSendsDecodeAsOtherAndKeepTheirResult() throws {
        // A DelResponse [APPLICATION 11] (noSuchObject) and a CompareResponse [APPLICATION 15] (compareTrue),
        // hand-assembled as a server would send them.
        let delResponse = hex("300c020105" + "6b07" + "0a0120" + "0400" + "0400")
        let decoded = try LDAPMessage(decoding: delResponse)
        guard case .other(let tag, let bytes) = decoded.operation else { Issue.record("not .other"); return }
        #expect(tag == 11)
        #expect(bytes == Array(delResponse[5...]))
        #expect(decoded.operation.result?.code == .noSuchObject)
        #expect(decoded.encode() == delResponse)

        let compare = try LDAPMessage(decoding: hex("300c020106" + "6f07" + "0a0106" + "0400" + "0400"))
        #expect(compare.operation.result?.code == LDAPResultCode(rawValue: 6))
        // An AddRequest [APPLICATION 8] (a request the client never reads) is .other too, with no result.
        let add = try LDAPMessage(decoding: hex("300f020107" + "680a" + "0404636e3d78" + "3002" + "3000"))
        #expect(add.operation.tag == 8)
        #expect(add.operation.result == nil)
    }

    @Test func resultCodesAreReadAsNumbersEvenWhenUnnamed() throws {
        let message = LDAPMessage(messageID: 1, operation: .bindResponse(LDAPResult(code: LDAPResultCode(rawValue: 4096))))
        #expect(try roundTrip(message).operation.result?.code.rawValue == 4096)
    }

    @Test func aBindRequestNeverPrintsItsPassword() {
        let request = LDAPBindRequest.simple(name: "cn=x", password: "hunter2-secret")
        #expect(!"\(request)".contains("hunter2"))
        #expect(!String(describing: LDAPOperation.bindRequest(request)).contains("hunter2"))
        let modify = LDAPPasswordModifyRequest(oldPassword: Array("old-pw".utf8), newPassword: Array("new-pw".utf8))
        #expect(!"\(modify)".contains("old-pw") && !"\(modify)".contains("new-pw"))
    }

    @Test func bigEndianTwoComplementIntegersAreMinimal() {
        // messageID 127 takes one byte, 128 two (0x00 0x80), 32768 three.
        #expect(LDAPMessage(messageID: 127, operation: .unbindRequest).encode() == hex("3005 02017f 4200"))
        #expect(LDAPMessage(messageID: 128, operation: .unbindRequest).encode() == hex("3006 02020080 4200"))
        #expect(LDAPMessage(messageID: 32768, operation: .unbindRequest).encode() == hex("3007 0203008000 4200"))
    }

    @Test func activeDirectoryStyleLongFormLengthsDecode() throws {
        // AD writes every length as 0x84 + four bytes; BER allows it, DER would not.
        let bytes = hex("3084000000100201 01 618400000007 0a0100 0400 0400")
        let message = try LDAPMessage(decoding: bytes)
        #expect(message.operation == .bindResponse(.success))
    }

    @Test func filterShapesAreCheckedOnDecode() throws {
        let present = tlv(0x87, Array("cn".utf8))
        let decoded = try LDAPMessage(decoding: searchMessage(filter: tlv(0xa0, present), typesOnly: 0x01))
        // BER's TRUE is any non-zero octet.
        guard case .searchRequest(let request) = decoded.operation else { Issue.record("not a search"); return }
        #expect(request.typesOnly)
        #expect(request.filter == .and([.present("cn")]))
        func refused(_ filter: [UInt8]) -> Bool {
            (try? LDAPMessage(decoding: searchMessage(filter: filter))) == nil
        }
        let cn = tlv(0x04, Array("cn".utf8))
        #expect(refused(tlv(0xa0, [])))                                                     // empty and
        #expect(refused(tlv(0xa1, [])))                                                     // empty or
        #expect(refused(tlv(0xa2, present + present)))                                      // not with two filters
        #expect(refused(tlv(0xa4, cn + tlv(0x30, tlv(0x81, [0x61]) + tlv(0x80, [0x62])))))  // initial after any
        #expect(refused(tlv(0xa4, cn + tlv(0x30, tlv(0x82, [0x61]) + tlv(0x81, [0x62])))))  // final before any
        #expect(refused(tlv(0xa4, cn + tlv(0x30, []))))                                     // no substrings
        #expect(refused(tlv(0xa9, tlv(0x83, [0x61]))))                                      // extensible: no rule, no type
        #expect(refused(tlv(0xab, cn)))                                                     // unknown choice [11]
        #expect(refused(tlv(0xa3, cn)))                                                     // assertion without value
        #expect(!refused(tlv(0xa4, cn + tlv(0x30, tlv(0x80, [0x61]) + tlv(0x81, [0x62]) + tlv(0x81, [0x63]) + tlv(0x82, [0x64])))))
    }

    @Test func aSearchEntryFindsValuesWithoutRegardToAsciiCase() {
        let entry = LDAPSearchEntry(dn: "cn=x", attributes: [
            LDAPAttribute(type: "memberOf", values: [[1]]), LDAPAttribute(type: "MEMBEROF", values: [[2]]), LDAPAttribute(type: "uid", values: [[3]]),
        ])
        #expect(entry.values("memberof") == [[1], [2]])
        #expect(entry.values("UID") == [[3]])
        // No Unicode folding: the Kelvin sign is not K.
        #expect(LDAPSearchEntry(dn: "", attributes: [LDAPAttribute(type: "\u{212A}ey", values: [[1]])]).values("key").isEmpty)
    }
}
