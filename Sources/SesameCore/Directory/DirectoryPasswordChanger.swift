import Foundation

/// A person changes their own directory password (expired, or reset by an administrator): the
/// change-password page calls `change`, then signs in again with the new password.
public struct DirectoryPasswordChanger: Sendable {
    public let configuration: DirectoryConfiguration
    private let gateway: any DirectoryGateway
    /// `directory.password_changed` / `directory.password_change_failed` go here.
    public var audit: AuditTrail?
    /// When set, the audit names the person's Sesame user (found by the entry's immutable id).
    public var links: (any DirectoryStore)?

    public init(configuration: DirectoryConfiguration, gateway: any DirectoryGateway) {
        self.configuration = configuration
        self.gateway = gateway
    }

    /// A refused change, with what the person reads.
    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Finds the person as sign-in does and changes the password as them (AD: `unicodePwd`;
    /// others: Password Modify). Throws `Refused` with a clear message (wrong current password,
    /// too short, in history, ...) or `SignInError.directoryUnavailable`.
    public func change(login: String, old: String, new: String, clientAddress: String?) async throws {
        guard !old.isEmpty, !new.isEmpty else { throw Refused(message: "Type your current password and a new one.") }
        guard new != old else { throw Refused(message: "The new password must differ from the current one.") }
        guard new.utf8.count <= 1024 else { throw Refused(message: "The new password is too long.") }
        let login = login.trimmingCharacters(in: .whitespaces)
        guard !login.isEmpty, login.utf8.count <= DirectoryAuthenticator.maxLoginBytes, !DirectoryConfiguration.hasControl(login) else {
            throw Refused(message: Self.wrongCurrent)
        }
        let query = DirectoryQuery(base: configuration.baseDN, filter: configuration.effectiveUserFilter, values: ["login": login], attributes: [configuration.effectiveAttributeMap.immutableID])
        let found = try await reach { try await gateway.search(query, limit: 2) }
        guard found.value.count == 1, let entry = found.value.first else {
            await record(.directoryPasswordChangeFailed, subject: nil, server: found.server, detail: "reason=\(found.value.isEmpty ? "unknown_user" : "ambiguous_login")", address: clientAddress)
            throw Refused(message: Self.wrongCurrent)
        }
        let subject = await userID(of: entry)
        let answer = try await reach { try await gateway.changePassword(dn: entry.dn, old: old, new: new, method: configuration.profile.passwordChange) }
        let result = answer.value
        guard result.resultCode == 0, result.passwordPolicy?.error == nil else {
            let refused = Self.refusal(result)
            await record(.directoryPasswordChangeFailed, subject: subject, server: answer.server, detail: "result=\(result.resultCode)" + (DirectoryRefusal.activeDirectoryCode(in: result.diagnosticMessage).map { " data=\($0)" } ?? ""), address: clientAddress)
            throw refused
        }
        await record(.directoryPasswordChanged, subject: subject, server: answer.server, detail: nil, address: clientAddress)
    }

    static let wrongCurrent = "The username or current password is incorrect."
    static let expiredForGood = "Your password has expired and the directory does not let you change it yourself. Ask your administrator to reset it."

    /// The server's refusal as the person reads it: the policy control's answer, AD's codes, or the result code.
    static func refusal(_ result: DirectoryBindResult) -> Refused {
        switch result.passwordPolicy?.error {
        case .passwordTooShort: return Refused(message: "The new password is too short for the directory's policy.")
        case .passwordInHistory: return Refused(message: "The new password was used before; choose one you have not used.")
        case .insufficientPasswordQuality: return Refused(message: "The new password is not complex enough for the directory's policy.")
        case .passwordTooYoung: return Refused(message: "The password was changed too recently to change it again now.")
        case .passwordModNotAllowed: return Refused(message: "The directory does not let you change your own password. Contact your administrator.")
        case .mustSupplyOldPassword: return Refused(message: Self.wrongCurrent)
        case .accountLocked: return Refused(message: DirectoryRefusal.locked.message ?? "")
        // The bind with the (right) old password is refused for its age: without grace logins an
        // OpenLDAP password that has expired can only be reset by someone else.
        case .passwordExpired where result.resultCode == 49: return Refused(message: Self.expiredForGood)
        case .passwordExpired, .changeAfterReset, nil: break
        }
        if let code = DirectoryRefusal.activeDirectoryCode(in: result.diagnosticMessage) {
            switch DirectoryRefusal.activeDirectory(code: code) {
            case .wrongPassword: return Refused(message: Self.wrongCurrent)
            case .passwordExpired, .mustChangePassword: break  // the old password was right; the reason is the new one
            case let refusal: if let message = refusal.message { return Refused(message: message) }
            }
        }
        switch result.resultCode {
        case 49: return Refused(message: Self.wrongCurrent)
        // constraintViolation: AD answers a policy refusal (length, complexity, history, age) so.
        case 19: return Refused(message: "The directory refused the new password: it does not meet the password policy (length, complexity, or reuse of an old one).")
        case 50: return Refused(message: "The directory does not let you change your own password. Contact your administrator.")
        case 53: return Refused(message: "The directory refused the change; it needs a secure connection or does not allow it now.")
        default: return Refused(message: "The directory refused the new password (code \(result.resultCode)).")
        }
    }

    private func record(_ kind: AuditEventKind, subject: String?, server: String, detail: String?, address: String?) async {
        let base = "directory=\(configuration.name) server=\(String(server.prefix(200)))"
        await audit?.record(kind, actor: subject, subject: subject, clientAddress: address, detail: detail.map { base + " " + $0 } ?? base)
    }

    private func userID(of entry: DirectoryEntry) async -> String? {
        guard let links, let identity = try? DirectoryProvisioner.immutableID(of: entry, configuration) else { return nil }
        return try? await links.link(directory: configuration.name, immutableID: identity)?.userID
    }

    private func reach<T>(_ body: () async throws -> T) async throws -> T {
        try await configuration.reach(body)
    }
}
