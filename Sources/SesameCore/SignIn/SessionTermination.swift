import Foundation

/// Why a session ended. Each termination is audited once, under the type its reason names.
public enum SessionEndReason: Sendable, Equatable {
    /// The person signed out at Sesame (`/logout`, the account page's "Sign out").
    case signOut
    /// A CAS service sent the person to `/cas/logout`.
    case casLogout
    /// An app asked at `/end-session` (OpenID Connect RP-Initiated Logout).
    case rpInitiatedLogout
    /// An administrator revoked one session.
    case revoked
    /// Every session of a user: an administrator's revocation, disabling, a new password, a reset second factor.
    case allRevoked

    public var auditType: AuditEventKind {
        switch self {
        case .signOut, .casLogout, .rpInitiatedLogout: .sessionEnded
        case .revoked: .sessionRevoked
        case .allRevoked: .sessionsRevoked
        }
    }

    var auditDetail: String? {
        switch self {
        case .signOut: "sign-out"
        case .casLogout: "cas logout"
        case .rpInitiatedLogout: "rp-initiated logout"
        case .revoked, .allRevoked: nil
        }
    }
}

/// What ending a session leaves to the caller: the frames for the person's browser, and the
/// listeners' messages still on their way.
public struct SessionTerminationOutcome: Sendable {
    public let ended: [EndedSession]
    /// Front-channel logout URLs to load in hidden frames before moving on (browser sign-outs only).
    public let frontChannelFrames: [String]
    let deliveries: Task<Void, Never>?

    /// Waits until every listener has been told (a short-lived process, such as the CLI, waits before it exits).
    public func deliveriesFinished() async { await deliveries?.value }
}

/// The one way a session ends. The store ends it (and, as issue 13 made it, what was handed out
/// in it: refresh tokens, CAS proxy-granting tickets), the termination is audited once, and every
/// listener is told in the background, so a slow app never holds up a sign-out.
public struct SessionTermination: Sendable {
    private let store: any SessionStore
    public let listeners: [any SessionTerminationListener]
    private let audit: AuditTrail?

    public init(store: any SessionStore, listeners: [any SessionTerminationListener] = [], audit: AuditTrail? = nil) {
        self.store = store
        self.listeners = listeners
        self.audit = audit
    }

    /// Ends the session behind a browser's cookie. `session` is the live session it resolved to;
    /// without one (an expired or unknown cookie) the row goes and nobody is told.
    public func end(
        cookieValue: String, session: SessionRecord?, reason: SessionEndReason, actor: String? = nil, clientID: String? = nil,
        clientAddress: String? = nil, at now: Date
    ) async throws -> SessionTerminationOutcome {
        let digest = TokenDigest.of(cookieValue)
        guard let session, session.idDigest == digest else {
            try await store.endSession(idDigest: digest, at: now, includingOfflineAccess: false)
            return SessionTerminationOutcome(ended: [], frontChannelFrames: [], deliveries: nil)
        }
        let ended = await describe(session)
        try await store.endSession(idDigest: digest, at: now, includingOfflineAccess: false)
        await audit?.record(
            reason.auditType, actor: actor ?? session.userID, subject: session.userID, clientID: clientID, clientAddress: clientAddress,
            detail: reason.auditDetail
        )
        var frames: [String] = []
        for listener in listeners { frames += await listener.frontChannelFrames(for: ended) }
        return SessionTerminationOutcome(ended: [ended], frontChannelFrames: frames, deliveries: tell([ended]))
    }

    /// An administrator ends one session; its `offline_access` refresh tokens go too.
    public func revoke(_ session: SessionRecord, actor: String, at now: Date) async throws -> SessionTerminationOutcome {
        let ended = await describe(session)
        try await store.endSession(idDigest: session.idDigest, at: now, includingOfflineAccess: true)
        await audit?.record(SessionEndReason.revoked.auditType, actor: actor, subject: session.userID)
        return SessionTerminationOutcome(ended: [ended], frontChannelFrames: [], deliveries: tell([ended]))
    }

    /// Ends every session of a user, and every refresh token and proxy-granting ticket they hold.
    public func revokeAll(userID: String, actor: String) async throws -> SessionTerminationOutcome {
        var ended: [EndedSession] = []
        for session in (try? await store.sessions(userID: userID)) ?? [] { ended.append(await describe(session)) }
        try await store.deleteSessions(userID: userID)
        await audit?.record(SessionEndReason.allRevoked.auditType, actor: actor, subject: userID)
        return SessionTerminationOutcome(ended: ended, frontChannelFrames: [], deliveries: tell(ended))
    }

    /// Read before the store ends the session, which forgets the apps it signed in to. A failed
    /// read tells fewer apps; it never stops the sign-out.
    private func describe(_ session: SessionRecord) async -> EndedSession {
        EndedSession(record: session, clientIDs: Set((try? await store.clientIDs(sessionID: session.sid)) ?? []))
    }

    /// Each listener once per ended session, all at the same time.
    private func tell(_ ended: [EndedSession]) -> Task<Void, Never>? {
        guard !ended.isEmpty, !listeners.isEmpty else { return nil }
        let listeners = self.listeners
        return Task.detached {
            await withTaskGroup(of: Void.self) { group in
                for session in ended {
                    for listener in listeners { group.addTask { await listener.sessionEnded(session) } }
                }
            }
        }
    }
}
