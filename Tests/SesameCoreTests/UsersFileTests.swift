import Testing

@testable import SesameCore

@Suite struct UsersFileTests {
    @Test func parsesPlainPasswordsGroupsRolesAndHashes() throws {
        let file = try UsersFile(parsing: """
            # staff
            alice:wonderland:staff editor admin

            bob:\(PythonMadeHashes.bcrypt2y)
            carol:\(PythonMadeHashes.djangoPBKDF2):ops\r
            """)
        #expect(file.entries.count == 3)
        #expect(file.entries[0] == .init(line: 2, username: "alice", secret: .plain("wonderland"), group: "staff", roles: ["editor", "admin"]))
        #expect(file.entries[1].secret == .hash(PythonMadeHashes.bcrypt2y))
        #expect(file.entries[1].line == 4)
        #expect(file.entries[2].group == "ops")
        #expect(file.entries[2].secret == .hash(PythonMadeHashes.djangoPBKDF2))
    }

    @Test(arguments: [
        ("alice:alice-pw\nbob\n", 2),  // no password field
        ("alice:alice-pw\nbob:\n", 2),  // empty password
        ("alice:alice-pw\nbob:7-chars\n", 2),  // a password shorter than 8 characters
        ("alice:alice-pw\n\n:alice-pw\n", 3),  // empty username
        ("alice:alice-pw\nbad name:alice-pw\n", 2),  // space splits the first word: "bad" has no colon
        ("alice:alice-pw\nbob:bob-pass:g:extra\n", 2),  // too many fields
        ("alice:alice-pw\nALICE:alice-pw2\n", 2),  // duplicate, ignoring case
        ("alice:alice-pw\nbob:$2b$05$short\n", 2),  // malformed hash
        ("a@b:alice-pw\n", 1),  // '@' not allowed in usernames
    ])
    func reportsTheFirstBadLine(text: String, line: Int) {
        #expect {
            try UsersFile(parsing: text)
        } throws: { error in
            (error as? AccountError)?.code == .invalidImportLine && "\(error)".hasPrefix("line \(line):")
        }
    }
}
