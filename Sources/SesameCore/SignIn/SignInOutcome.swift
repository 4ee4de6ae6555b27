/// Why the first sign-in step refused someone. Recorded in the audit trail (`reason=...`), never
/// shown: the person only reads "Incorrect username or password".
public enum SignInFailureReason: String, Sendable, CaseIterable {
    /// No stored person has this username or email, and no authenticator answered for it.
    case unknownUser = "unknown_user"
    case wrongPassword = "wrong_password"
    case disabled
    /// A stored person without a local password whom no other authenticator answered for.
    case noPassword = "no_password"
}

/// What is throttling an attempt: its account (or unknown login), or its client address.
public enum LockoutScope: String, Sendable {
    case account
    case address
}

/// How one attempt at the first sign-in step ended, as the audit trail records it.
public enum SignInOutcome: Sendable, Equatable {
    /// By the authenticator of that name.
    case succeeded(by: String)
    case failed(SignInFailureReason)
    case lockedOut(LockoutScope)

    public var auditType: AuditEventKind {
        switch self {
        case .succeeded: .signInSucceeded
        case .failed: .signInFailed
        case .lockedOut: .signInLockedOut
        }
    }

    public var auditDetail: String? {
        switch self {
        // The local password is the usual case and keeps its events as they were.
        case .succeeded(let name): name == LocalPasswordAuthenticator.name ? nil : "authenticator=\(name)"
        case .failed(let reason): "reason=\(reason.rawValue)"
        case .lockedOut(let scope): "reason=\(scope.rawValue)"
        }
    }
}
