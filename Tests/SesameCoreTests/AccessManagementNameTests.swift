import Testing
import SesameCore

/// One rule for role and group names, whichever door creates them.
@Suite struct AccessManagementNameTests {
    @Test func theUsersFileRefusesWhatRoleAddRefuses() throws {
        for bad in ["ops+1", "a/b", "x\u{7f}", "caf\u{e9}"] {
            #expect(throws: AccessError.self) { try RoleName.check(bad, what: "group", allowsApp: false) }
            #expect(throws: AccountError.self) { try UsersFile(parsing: "ann:ann-password:\(bad)") }
            #expect(throws: AccountError.self) { try UsersFile(parsing: "ann:ann-password \(bad)") }
        }
    }

    @Test func theUsersFileAcceptsWhatRoleAddAccepts() throws {
        let long = String(repeating: "r", count: 100)
        let file = try UsersFile(parsing: "ann:ann-password:staff intranet:editor \(long)")
        #expect(file.entries[0].group == "staff")
        #expect(file.entries[0].roles == ["intranet:editor", long])
        #expect(throws: AccountError.self) { try UsersFile(parsing: "ann:ann-password \(long)r") }
    }

    @Test func namesAreCheckedOnBytes() {
        // A letter outside ASCII, a letter with a combining mark, a full-width digit.
        for bad in ["\u{e9}diteur", "e\u{301}", "\u{ff11}", "a::b", ":a", ""] {
            #expect(throws: AccessError.self) { try RoleName.check(bad, what: "role") }
        }
        #expect(throws: Never.self) { try RoleName.check("app.x:Role_1-2", what: "role") }
        #expect(throws: Never.self) { try RoleName.checkPermission("articles:*:publish") }
    }

    @Test func refusalsHaveOneTypedKind() {
        #expect(AccessError.duplicateRole("x").management.kind == .conflict)
        #expect(AccessError.unknownGroup("x").management.kind == .notFound)
        #expect(AccessError.invalidName(what: "role", name: "x").management == ManagementError(.invalid, AccessError.invalidName(what: "role", name: "x").description, field: "name"))
        #expect(AccountError.duplicateEmail("a@b").management.field == "email")
        #expect(AccountError.unknownUser("x").management.kind == .notFound)
        #expect(AccountError.invalidImportLine(1, "bad").management.kind == .invalid)
    }
}
