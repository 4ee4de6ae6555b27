import Foundation

/// The users file: one user a line, `username:password[:group] [role ...]`, where the password
/// field is either the password itself or a hash in a form `PasswordHasher` verifies. Blank lines
/// and lines starting with `#` are skipped.
public struct UsersFile: Sendable {
    public enum Secret: Sendable, Equatable {
        case plain(String)
        case hash(String)
    }

    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var username: String
        public var secret: Secret
        public var group: String?
        public var roles: [String]
    }

    public var entries: [Entry]

    /// Parses the whole file or throws for the first bad line, naming it.
    public init(parsing text: String) throws {
        var entries: [Entry] = []
        var seen: Set<String> = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let entry = try Self.parseLine(line, number: number)
            guard seen.insert(entry.username.lowercased()).inserted else {
                throw AccountError.invalidImportLine(number, "user '\(entry.username)' appears twice")
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    private static func parseLine(_ line: String, number: Int) throws -> Entry {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let fields = words[0].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 2 || fields.count == 3 else {
            throw AccountError.invalidImportLine(number, "expected username:password[:group] [role ...]")
        }
        let username: String
        do {
            username = try AccountRules.validateUsername(fields[0])
        } catch let error as AccountError {
            throw AccountError.invalidImportLine(number, error.message)
        }
        let password = fields[1]
        guard !password.isEmpty else { throw AccountError.invalidImportLine(number, "the password is empty") }
        let secret: Secret
        if PasswordScheme(hash: password) != nil {
            guard PasswordHasher.isSupportedHash(password) else {
                throw AccountError.invalidImportLine(number, "the password hash is malformed or its cost is out of bounds")
            }
            secret = .hash(password)
        } else {
            guard AccountRules.passwordLengths.contains(password.count) else {
                throw AccountError.invalidImportLine(number, AccountError.weakPassword.message)
            }
            secret = .plain(password)
        }
        let group = fields.count == 3 ? fields[2] : nil
        // The same name rule as `sesame role add` and `group add`, so an import makes no name they refuse.
        do {
            try group.map { try RoleName.check($0, what: "group", allowsApp: false) }
            for role in words.dropFirst() { try RoleName.check(role, what: "role") }
        } catch let error as AccessError {
            throw AccountError.invalidImportLine(number, error.description)
        }
        return Entry(line: number, username: username, secret: secret, group: group, roles: Array(words.dropFirst()))
    }
}
