/// Why the first sign-in step refused someone. Recorded in the audit trail (`reason=...`), never
/// shown: the person only reads "Incorrect username or password".
public enum SignInFailureReason: String, Sendable, CaseIterable {
    /// No stored person has this username or email, and no authenticator answered for it.
    case unknownUser = "unknown_user"
    case wrongPassword = "wrong_password"
    case disabled
    /// A stored person without a local password whom no other authenticator answered for.
    case noPassword = "no_password"
    // Directory sign-ins: the audit's `directory=` and `server=` say which.
    /// An empty password, refused before any bind (an empty simple bind is an anonymous one).
    case emptyPassword = "empty_password"
    /// The directory's user filter found more than one entry for the login.
    case ambiguousLogin = "ambiguous_login"
    /// The entry's username or email belongs to another Sesame user (a local account).
    case accountClash = "account_clash"
    /// The entry lacks its immutable id or a usable username.
    case unusableEntry = "unusable_entry"
    case accountDisabled = "account_disabled"
    case accountLocked = "account_locked"
    case accountExpired = "account_expired"
    case passwordExpired = "password_expired"
    case mustChangePassword = "must_change_password"
    /// Active Directory's 530: not at this time of day.
    case timeRestricted = "time_restricted"
    /// Active Directory's 531: not from this workstation.
    case workstationRestricted = "workstation_restricted"
    /// The directory refused the bind for a reason not listed here (its code is in the detail).
    case directoryRefused = "directory_refused"
    case directoryUnavailable = "directory_unavailable"
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
    /// The same, with what the authenticator adds (`directory=corp server=ldaps://dc1`).
    case succeededWith(by: String, detail: String)
    case failedWith(SignInFailureReason, detail: String)
    case lockedOut(LockoutScope)

    public var auditType: AuditEventKind {
        switch self {
        case .succeeded, .succeededWith: .signInSucceeded
        case .failed, .failedWith: .signInFailed
        case .lockedOut: .signInLockedOut
        }
    }

    public var auditDetail: String? {
        switch self {
        // The local password is the usual case and keeps its events as they were.
        case .succeeded(let name): name == LocalPasswordAuthenticator.name ? nil : "authenticator=\(name)"
        case .failed(let reason): "reason=\(reason.rawValue)"
        case .succeededWith(let name, let detail): "authenticator=\(name) \(detail)"
        case .failedWith(let reason, let detail): "reason=\(reason.rawValue) \(detail)"
        case .lockedOut(let scope): "reason=\(scope.rawValue)"
        }
    }
}
