/// A person's sessions, as both doors list and end them.
extension AccountService {
    public func sessions(username: String) async throws -> [SessionRecord] {
        try await sessionStore.sessions(userID: try await user(named: username).id)
    }

    /// Ends one session (`session.revoked`), named by the id that `sessions(username:)` shows.
    @discardableResult
    public func revokeSession(username: String, sessionID: String) async throws -> SessionTerminationOutcome {
        guard let session = try await sessions(username: username).first(where: { $0.idDigest == sessionID }) else {
            throw ManagementError(.notFound, "the session does not exist")
        }
        let termination = termination ?? SessionTermination(store: sessionStore, audit: audit)
        return try await termination.revoke(session, actor: actor.auditName, at: clock.now())
    }
}
