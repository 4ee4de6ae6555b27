import SesameLDAP
import Testing

@Suite struct LDAPFilterTests {
    /// RFC 4515 §4's examples, each with the string it prints back as (values are re-escaped
    /// in lower-case hex, printable ASCII stays as it is).
    static let rfcExamples: [(String, String)] = [
        ("(cn=Babs Jensen)", "(cn=Babs Jensen)"),
        ("(!(cn=Tim Howes))", "(!(cn=Tim Howes))"),
        ("(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))", "(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))"),
        ("(o=univ*of*mich*)", "(o=univ*of*mich*)"),
        ("(seeAlso=)", "(seeAlso=)"),
        ("(cn:caseExactMatch:=Fred Flintstone)", "(cn:caseExactMatch:=Fred Flintstone)"),
        ("(cn:=Betty Rubble)", "(cn:=Betty Rubble)"),
        ("(sn:dn:2.4.6.8.10:=Barney Rubble)", "(sn:dn:2.4.6.8.10:=Barney Rubble)"),
        ("(o:dn:=Ace Industry)", "(o:dn:=Ace Industry)"),
        ("(:1.2.3:=Wilma Flintstone)", "(:1.2.3:=Wilma Flintstone)"),
        ("(:DN:2.4.6.8.10:=Dino)", "(:dn:2.4.6.8.10:=Dino)"),
        (#"(o=Parens R Us \28for all your parenthetical needs\29)"#, #"(o=Parens R Us \28for all your parenthetical needs\29)"#),
        (#"(cn=*\2A*)"#, #"(cn=*\2a*)"#),
        (#"(filename=C:\5cMyFile)"#, #"(filename=C:\5cMyFile)"#),
        (#"(sn=Lu\c4\8di\c4\87)"#, #"(sn=Lu\c4\8di\c4\87)"#),
        (#"(1.3.6.1.4.1.1466.0=\04\02\48\69)"#, #"(1.3.6.1.4.1.1466.0=\04\02Hi)"#),
    ]

    @Test(arguments: 0..<rfcExamples.count)
    func rfc4515ExamplesParseAndPrintBack(_ index: Int) throws {
        let (text, printed) = Self.rfcExamples[index]
        let filter = try LDAPFilter.parse(text)
        #expect(filter.description == printed)
        #expect(try LDAPFilter.parse(filter.description) == filter)
    }

    @Test func rfcExamplesHaveTheStructureTheRfcDescribes() throws {
        #expect(try LDAPFilter.parse("(o=univ*of*mich*)") == .substrings("o", LDAPSubstrings(initial: Array("univ".utf8), any: [Array("of".utf8), Array("mich".utf8)])))
        #expect(try LDAPFilter.parse("(seeAlso=)") == .equalityMatch("seeAlso", []))
        #expect(try LDAPFilter.parse("(sn:dn:2.4.6.8.10:=Barney Rubble)") == .extensibleMatch(LDAPMatchingRuleAssertion(
            matchingRule: "2.4.6.8.10", type: "sn", value: Array("Barney Rubble".utf8), dnAttributes: true)))
        #expect(try LDAPFilter.parse(#"(cn=*\2A*)"#) == .substrings("cn", LDAPSubstrings(any: [[0x2a]])))
        #expect(try LDAPFilter.parse(#"(sn=Lu\c4\8di\c4\87)"#) == .equal("sn", "Lučić"))
        #expect(try LDAPFilter.parse(#"(1.3.6.1.4.1.1466.0=\04\02\48\69)"#) == .equalityMatch("1.3.6.1.4.1.1466.0", [4, 2, 0x48, 0x69]))
        #expect(try LDAPFilter.parse("(cn=*)") == .present("cn"))
        #expect(try LDAPFilter.parse("(cn=*x)") == .substrings("cn", LDAPSubstrings(final: Array("x".utf8))))
        #expect(try LDAPFilter.parse("(age>=3)") == .greaterOrEqual("age", Array("3".utf8)))
        #expect(try LDAPFilter.parse("(age<=3)") == .lessOrEqual("age", Array("3".utf8)))
        #expect(try LDAPFilter.parse("(sn~=smyth)") == .approxMatch("sn", Array("smyth".utf8)))
        #expect(try LDAPFilter.parse("(cn;lang-de;x-y=a)") == .equal("cn;lang-de;x-y", "a"))
    }

    @Test func activeDirectoryNestedMembershipFilter() throws {
        let filter = try LDAPFilter.parse(template: "(member:1.2.840.113556.1.4.1941:={dn})", values: ["dn": "CN=Jane (IT),CN=Users,DC=sesame,DC=test"])
        #expect(filter == .extensibleMatch(LDAPMatchingRuleAssertion(
            matchingRule: LDAPOID.matchingRuleInChain, type: "member", value: Array("CN=Jane (IT),CN=Users,DC=sesame,DC=test".utf8))))
        #expect(filter.description == #"(member:1.2.840.113556.1.4.1941:=CN=Jane \28IT\29,CN=Users,DC=sesame,DC=test)"#)
    }

    static let hostileValues = [
        "*)(uid=*))(|(uid=*", "*", "\\", "(", ")", "a\u{0}b", "jörg", "\u{7f}\u{1}", ")\u{0301}(uid=*", "\\2a", "{login}", "x)(&",
        "😀)", "\u{0301})", "admin)(!(cn=*",
    ]

    @Test(arguments: hostileValues)
    func templateValuesAreOnlyEverValues(_ value: String) throws {
        let filter = try LDAPFilter.parse(template: "(&(objectClass=person)(uid={login}))", values: ["login": value])
        #expect(filter == .and([.equal("objectClass", "person"), .equalityMatch("uid", Array(value.utf8))]))
    }

    @Test func escapingFollowsRfc4515OnBytes() {
        #expect(LDAPFilter.escape("*)(uid=*))(|(uid=*") == #"\2a\29\28uid=\2a\29\29\28|\28uid=\2a"#)
        #expect(LDAPFilter.escape("a\u{0}b\\c") == #"a\00b\5cc"#)
        #expect(LDAPFilter.escape("é") == #"\c3\a9"#)
        // A combining mark after a parenthesis: one Swift Character, but the parenthesis is still escaped.
        #expect(LDAPFilter.escape(")\u{0301}") == #"\29\cc\81"#)
        #expect(LDAPFilter.escape("plain text-1.2_@x") == "plain text-1.2_@x")
        #expect(LDAPFilter.escape(bytes: [0x00, 0xff, 0x41]) == #"\00\ffA"#)
    }

    @Test func aByteParserSeesAParenthesisThatAMarkFollows() throws {
        // `)` + U+0301 is one Character; the parser must still see the `)` and the text after it.
        #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse("(cn=a)\u{0301}") }
        #expect(try LDAPFilter.parse("(cn=a\u{0301})") == .equal("cn", "a\u{0301}"))
    }

    @Test func templatesSubstituteInOnePassAndRefuseUnknownNames() throws {
        // A value that looks like a placeholder stays text.
        #expect(try LDAPFilter.parse(template: "(|(uid={login})(member={dn}))", values: ["login": "{dn}", "dn": "cn=x"])
            == .or([.equal("uid", "{dn}"), .equal("member", "cn=x")]))
        let error = #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(template: "(uid={logn})", values: ["login": "x"]) }
        #expect(error?.position == 5)
        #expect(error.map { !"\($0)".contains("x") } == true)
        // A brace that opens no placeholder is kept.
        #expect(try LDAPFilter.parse(template: "(description=a{b)", values: [:]) == .equal("description", "a{b"))
        #expect(try LDAPFilter.parse(template: "(description={})", values: [:]) == .equal("description", "{}"))
    }

    @Test func placeholdersMayOnlyStandWhereValuesDo() throws {
        // In an attribute or matching-rule position the value would change what is compared: refused.
        let asType = #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(template: "(&(a=b)({login}=x))", values: ["login": "cn"]) }
        #expect(asType?.position == 8)
        #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(template: "(cn:{rule}:=x)", values: ["rule": "caseExactMatch"]) }
        #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(template: "(c{x}=y)", values: ["x": "n"]) }
        // In value positions, whole or as part of a substring, they are fine.
        #expect(try LDAPFilter.parse(template: "(|(uid={login})(mail={login}*)(cn=*{login}*))", values: ["login": "j*"]) == .or([
            .equal("uid", "j*"),
            .substrings("mail", LDAPSubstrings(initial: Array("j*".utf8))),
            .substrings("cn", LDAPSubstrings(any: [Array("j*".utf8)])),
        ]))
        #expect(try LDAPFilter.parse(template: "(uid={login})", values: ["login": ""]) == .equal("uid", ""))
    }

    static let malformed: [(String, Int)] = [
        ("", 0), ("cn=x", 0), ("(cn=x))", 6), ("(&)", 2), (#"(cn=\4)"#, 4), (#"(cn=\zz)"#, 4), ("(cn>=a*b)", 8), ("(=x)", 1),
        ("(cn=a**b)", 4), ("(cn~x)", 4), ("(1.02=x)", 3), ("(cn=a\u{0}b)", 5), ("(:=x)", 1), ("(cn=a(b)", 5), ("(cn=x", 5),
        ("(cn:dn=x)", 6), ("(!(cn=x)(sn=y))", 8), ("(cn;=x)", 4), ("(c_n=x)", 2),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedFiltersFailWithAPosition(_ index: Int) throws {
        let (text, position) = Self.malformed[index]
        let error = #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(text) }
        #expect(error?.position == position, "\(text): \(String(describing: error))")
    }

    @Test func depthAndLengthAreCapped() throws {
        let deep = String(repeating: "(!", count: 40) + "(cn=x)" + String(repeating: ")", count: 40)
        let error = #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(deep) }
        #expect(error?.message.contains("deeper") == true)
        let fine = String(repeating: "(!", count: 31) + "(cn=x)" + String(repeating: ")", count: 31)
        #expect(throws: Never.self) { try LDAPFilter.parse(fine) }
        let long = "(cn=" + String(repeating: "a", count: 70_000) + ")"
        #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(long) }
        #expect(throws: Never.self) { try LDAPFilter.parse(long, maxLength: 80_000) }
        // 40 000 nested parentheses never reach the call stack's limit: refused at depth 33.
        let hostile = String(repeating: "(&", count: 40_000)
        #expect(throws: LDAPFilterError.self) { try LDAPFilter.parse(hostile, maxLength: 100_000) }
    }

    @Test func theDeepestFilterTheParserAcceptsStillEncodesAndDecodes() throws {
        let deepest = String(repeating: "(!", count: 31) + "(cn=x)" + String(repeating: ")", count: 31)
        let message = LDAPMessage(messageID: 1, operation: .searchRequest(LDAPSearchRequest(base: "", filter: try LDAPFilter.parse(deepest))))
        #expect(try roundTrip(message) == message)
    }
}
