/// Second-factor administration: who must use it, and starting over when an authenticator is lost.
extension AccountService {
    /// Requires (or stops requiring) two-step verification for one person.
    public func setTwoFactorRequired(username: String, _ required: Bool) async throws {
        let user = try await user(named: username)
        try await twoFactorStore().setTwoFactorRequired(userID: user.id, required)
        await record(required ? .twoFactorRequired : .twoFactorNotRequired, user)
    }

    /// Requires (or stops requiring) two-step verification for everyone holding `role`.
    public func setTwoFactorRequired(role: String, _ required: Bool) async throws {
        try RoleName.check(role, what: "role")
        let role = role.lowercased()
        try await twoFactorStore().setTwoFactorRequired(role: role, required)
        await audit?.record(required ? .twoFactorRoleRequired : .twoFactorRoleNotRequired, actor: actor.auditName, detail: role)
    }

    /// Removes the authenticator and recovery codes (a lost phone) and ends the person's sessions,
    /// which the old factor had vouched for.
    @discardableResult
    public func resetTwoFactor(username: String) async throws -> SessionTerminationOutcome {
        let user = try await user(named: username)
        try await twoFactorStore().resetTwoFactor(userID: user.id)
        await record(.twoFactorReset, user)
        return try await endSessions(of: user)
    }

    private func twoFactorStore() throws -> any TwoFactorStore {
        guard let twoFactor else { throw ManagementError(.invalid, "two-step verification is not set up here") }
        return twoFactor
    }
}
