import SesameLDAP
import Testing

@Suite struct LDAPDistinguishedNameTests {
    /// RFC 4514 §4's examples and the string each prints back as.
    static let rfcExamples: [(String, String)] = [
        ("UID=jsmith,DC=example,DC=net", "UID=jsmith,DC=example,DC=net"),
        ("OU=Sales+CN=J.  Smith,DC=example,DC=net", "OU=Sales+CN=J.  Smith,DC=example,DC=net"),
        (#"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#, #"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#),
        (#"CN=Before\0dAfter,DC=example,DC=net"#, #"CN=Before\0dAfter,DC=example,DC=net"#),
        ("1.3.6.1.4.1.1466.0=#04024869", "1.3.6.1.4.1.1466.0=#04024869"),
        (#"CN=Lu\C4\8Di\C4\87"#, "CN=Lučić"),
    ]

    @Test(arguments: 0..<rfcExamples.count)
    func rfc4514ExamplesParseAndPrintBack(_ index: Int) throws {
        let (text, printed) = Self.rfcExamples[index]
        let dn = try LDAPDistinguishedName(parsing: text)
        #expect(dn.description == printed)
        #expect(try LDAPDistinguishedName(parsing: dn.description) == dn)
    }

    @Test func rfcExamplesHaveTheStructureTheRfcDescribes() throws {
        let multi = try LDAPDistinguishedName(parsing: "OU=Sales+CN=J.  Smith,DC=example,DC=net")
        #expect(multi.rdns.count == 3)
        #expect(multi.rdns[0].attributes.map(\.type) == ["OU", "CN"])
        #expect(multi.rdns[0].attributes[1].stringValue == "J.  Smith")
        let quoted = try LDAPDistinguishedName(parsing: #"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#)
        #expect(quoted.rdns[0].attributes[0].stringValue == #"James "Jim" Smith, III"#)
        #expect(try LDAPDistinguishedName(parsing: #"CN=Before\0dAfter"#).rdns[0].attributes[0].value == Array("Before\rAfter".utf8))
        let hexed = try LDAPDistinguishedName(parsing: "1.3.6.1.4.1.1466.0=#04024869").rdns[0].attributes[0]
        #expect(hexed.isBER && hexed.value == [0x04, 0x02, 0x48, 0x69] && hexed.stringValue == nil)
        #expect(try LDAPDistinguishedName(parsing: "").rdns.isEmpty)
    }

    @Test func equivalentDNsCompareEqual() throws {
        let pairs: [(String, String)] = [
            ("uid=JSmith, dc=Example,dc=NET", "UID=jsmith,DC=example,DC=net"),
            ("CN=J.  Smith+OU=Sales,DC=example,DC=net", "OU=Sales+CN=J.  Smith,DC=example,DC=net"),
            (#"cn=a\2cb,dc=x"#, #"cn=a\,b,dc=x"#),
            (#"cn=Lu\C4\8Di\C4\87"#, "cn=Lučić"),
            ("1.3.6.1.4.1.1466.0=#04024869", "1.3.6.1.4.1.1466.0=hi"),
            ("cn = a , dc = b", "cn=a,dc=b"),
            ("cn=a;dc=b", "cn=a,dc=b"),
            (#"cn=trailing\ "#, #"cn=trailing\20"#),
        ]
        for (a, b) in pairs {
            #expect(LDAPDistinguishedName.equivalent(a, b), "\(a) vs \(b)")
            #expect(try LDAPDistinguishedName(parsing: a).hashValue == LDAPDistinguishedName(parsing: b).hashValue)
        }
        // Case is folded for ASCII only; values differ by more than case; spaces inside matter.
        let different: [(String, String)] = [
            ("cn=É,dc=x", "cn=é,dc=x"), ("cn=\u{212A}", "cn=k"), ("cn=a b", "cn=ab"), ("cn=a,dc=x", "cn=a,dc=y"),
            ("cn=a+sn=b", "cn=a"), (#"cn=trailing\ "#, "cn=trailing"), ("cn=a,dc=x", "not a dn"),
        ]
        for (a, b) in different { #expect(!LDAPDistinguishedName.equivalent(a, b), "\(a) vs \(b)") }
        // A set of DNs (as group-cycle detection keeps) holds each entry once however it was spelt.
        let seen: Set<LDAPDistinguishedName> = try Set(["CN=G1,DC=x", "cn=g1,dc=X", "cn=g2,dc=x"].map { try LDAPDistinguishedName(parsing: $0) })
        #expect(seen.count == 2)
    }

    @Test func parentAndWithin() throws {
        let user = try LDAPDistinguishedName(parsing: "uid=a,ou=People,dc=example,dc=com")
        let base = try LDAPDistinguishedName(parsing: "OU=people, DC=Example, DC=com")
        #expect(user.isWithin(base))
        #expect(base.isWithin(base))
        #expect(!base.isWithin(user))
        #expect(!user.isWithin(try LDAPDistinguishedName(parsing: "ou=groups,dc=example,dc=com")))
        #expect(user.parent == base)
        #expect(user.parent?.parent?.description == "dc=example,dc=com")
        #expect(try LDAPDistinguishedName(parsing: "").parent == nil)
    }

    @Test func escapeValueFollowsRfc4514() throws {
        #expect(LDAPDistinguishedName.escapeValue(#" #a,b+c"d\e<f>g;h "#) == #"\ #a\,b\+c\"d\\e\<f\>g\;h\ "#)
        #expect(LDAPDistinguishedName.escapeValue("#x") == ##"\#x"##)
        #expect(LDAPDistinguishedName.escapeValue("a\u{0}b") == #"a\00b"#)
        #expect(LDAPDistinguishedName.escapeValue("Jörg = x") == "Jörg = x")
        // Whatever the value, the escaped form parses back to one RDN holding exactly it.
        for value in [#" #a,b+c"d\e<f>g;h "#, "a\u{0}b", ",,,", "+", "=", "  ", "#", "\\", "x)(uid=*", "é\u{0301}"] {
            let dn = try LDAPDistinguishedName(parsing: "cn=" + LDAPDistinguishedName.escapeValue(value) + ",dc=x")
            #expect(dn.rdns.count == 2 && dn.rdns[0].attributes.count == 1)
            #expect(dn.rdns[0].attributes[0].stringValue == value)
        }
    }

    static let malformed: [(String, Int)] = [
        ("cn", 2), ("cn=a,", 5), ("=a", 0), (#"cn=a\"#, 5), (#"cn=a\zz"#, 5), ("cn=#0", 4), ("cn=#", 4), ("cn=#zz", 4),
        (#"cn=a"b"#, 4), (#"cn=\ff"#, 3), ("1.02=x", 2), ("cn=a\u{0}", 4), ("cn=#0404 x", 9), ("c_n=x", 1), ("cn=<", 3),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedDNsFailWithAPosition(_ index: Int) throws {
        let (text, position) = Self.malformed[index]
        let error = #expect(throws: LDAPDistinguishedNameError.self) { try LDAPDistinguishedName(parsing: text) }
        #expect(error?.position == position, "\(text): \(String(describing: error))")
    }

    @Test func lengthAndRdnCountAreCapped() throws {
        let many = Array(repeating: "dc=a", count: 600).joined(separator: ",")
        #expect(throws: LDAPDistinguishedNameError.self) { try LDAPDistinguishedName(parsing: many) }
        #expect(throws: Never.self) { try LDAPDistinguishedName(parsing: many, maxRDNs: 600) }
        let wide = "cn=" + Array(repeating: "a=b", count: 600).joined(separator: "+")
        #expect(throws: LDAPDistinguishedNameError.self) { try LDAPDistinguishedName(parsing: wide) }
        let long = "cn=" + String(repeating: "x", count: 70_000)
        #expect(throws: LDAPDistinguishedNameError.self) { try LDAPDistinguishedName(parsing: long) }
    }
}
