import Foundation

/// What an audit event records, registered once: alerts, filters and exports match on these names,
/// so a kind spelled differently in two places would silently split one event into two.
public struct AuditEventKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // Users
    public static let userCreated = Self(rawValue: "user.created")
    public static let userUpdated = Self(rawValue: "user.updated")
    public static let userDisabled = Self(rawValue: "user.disabled")
    public static let userEnabled = Self(rawValue: "user.enabled")
    public static let userDeleted = Self(rawValue: "user.deleted")
    public static let userImported = Self(rawValue: "user.imported")
    public static let userPasswordSet = Self(rawValue: "user.password_set")

    // Sign-in and sessions
    public static let signInSucceeded = Self(rawValue: "sign_in.succeeded")
    public static let signInFailed = Self(rawValue: "sign_in.failed")
    public static let signInLockedOut = Self(rawValue: "sign_in.locked_out")
    public static let sessionEnded = Self(rawValue: "session.ended")
    public static let sessionRevoked = Self(rawValue: "session.revoked")
    public static let sessionsRevoked = Self(rawValue: "sessions.revoked")
    public static let backChannelLogoutDelivered = Self(rawValue: "backchannel_logout.delivered")
    public static let backChannelLogoutFailed = Self(rawValue: "backchannel_logout.failed")

    // Second factor
    public static let twoFactorEnrolled = Self(rawValue: "two_factor.enrolled")
    public static let twoFactorFailed = Self(rawValue: "two_factor.failed")
    public static let twoFactorLockedOut = Self(rawValue: "two_factor.locked_out")
    public static let twoFactorReset = Self(rawValue: "two_factor.reset")
    public static let twoFactorRecoveryCodeUsed = Self(rawValue: "two_factor.recovery_code_used")
    public static let twoFactorRecoveryCodesRegenerated = Self(rawValue: "two_factor.recovery_codes_regenerated")
    public static let twoFactorRequired = Self(rawValue: "two_factor.required")
    public static let twoFactorNotRequired = Self(rawValue: "two_factor.not_required")
    public static let twoFactorRoleRequired = Self(rawValue: "two_factor.role_required")
    public static let twoFactorRoleNotRequired = Self(rawValue: "two_factor.role_not_required")

    // OAuth and OpenID Connect
    public static let consentGranted = Self(rawValue: "consent.granted")
    public static let tokenIssued = Self(rawValue: "token.issued")
    public static let tokenRefused = Self(rawValue: "token.refused")
    public static let tokenReuseDetected = Self(rawValue: "token.reuse_detected")
    public static let tokenRevoked = Self(rawValue: "token.revoked")
    public static let clientAuthenticationFailed = Self(rawValue: "client.authentication_failed")

    // Clients, CAS services, keys
    public static let clientCreated = Self(rawValue: "client.created")
    public static let clientUpdated = Self(rawValue: "client.updated")
    public static let clientSecretRotated = Self(rawValue: "client.secret_rotated")
    public static let clientDeleted = Self(rawValue: "client.deleted")
    public static let casServiceCreated = Self(rawValue: "cas_service.created")
    public static let casServiceUpdated = Self(rawValue: "cas_service.updated")
    public static let casServiceDeleted = Self(rawValue: "cas_service.deleted")
    public static let keysRotated = Self(rawValue: "keys.rotated")

    // CAS
    public static let casTicketIssued = Self(rawValue: "cas.ticket_issued")
    public static let casTicketValidated = Self(rawValue: "cas.ticket_validated")
    public static let casValidationFailed = Self(rawValue: "cas.validation_failed")
    public static let casAccessDenied = Self(rawValue: "cas.access_denied")
    public static let casProxyTicket = Self(rawValue: "cas.proxy_ticket")

    // Access
    public static let roleCreated = Self(rawValue: "role.created")
    public static let roleDeleted = Self(rawValue: "role.deleted")
    public static let rolePermissionGranted = Self(rawValue: "role.permission_granted")
    public static let rolePermissionRevoked = Self(rawValue: "role.permission_revoked")
    public static let roleGranted = Self(rawValue: "role.granted")
    public static let roleRevoked = Self(rawValue: "role.revoked")
    public static let groupCreated = Self(rawValue: "group.created")
    public static let groupDeleted = Self(rawValue: "group.deleted")
    public static let groupRoleAdded = Self(rawValue: "group.role_added")
    public static let groupRoleRemoved = Self(rawValue: "group.role_removed")
    public static let groupMemberAdded = Self(rawValue: "group.member_added")
    public static let groupMemberRemoved = Self(rawValue: "group.member_removed")

    // Directories (LDAP, Active Directory)
    public static let directoryCreated = Self(rawValue: "directory.created")
    public static let directoryUpdated = Self(rawValue: "directory.updated")
    public static let directoryDeleted = Self(rawValue: "directory.deleted")
    public static let directorySynced = Self(rawValue: "directory.synced")
    public static let directoryTested = Self(rawValue: "directory.tested")
    public static let directoryPasswordChanged = Self(rawValue: "directory.password_changed")
    public static let directoryPasswordChangeFailed = Self(rawValue: "directory.password_change_failed")

    /// Every registered kind, for documentation, filters and the uniqueness test.
    public static let all: [Self] = [
        userCreated, userUpdated, userDisabled, userEnabled, userDeleted, userImported, userPasswordSet,
        signInSucceeded, signInFailed, signInLockedOut, sessionEnded, sessionRevoked, sessionsRevoked,
        backChannelLogoutDelivered, backChannelLogoutFailed,
        twoFactorEnrolled, twoFactorFailed, twoFactorLockedOut, twoFactorReset, twoFactorRecoveryCodeUsed,
        twoFactorRecoveryCodesRegenerated, twoFactorRequired, twoFactorNotRequired, twoFactorRoleRequired, twoFactorRoleNotRequired,
        consentGranted, tokenIssued, tokenRefused, tokenReuseDetected, tokenRevoked, clientAuthenticationFailed,
        clientCreated, clientUpdated, clientSecretRotated, clientDeleted, casServiceCreated, casServiceUpdated, casServiceDeleted, keysRotated,
        casTicketIssued, casTicketValidated, casValidationFailed, casAccessDenied, casProxyTicket,
        roleCreated, roleDeleted, rolePermissionGranted, rolePermissionRevoked, roleGranted, roleRevoked,
        groupCreated, groupDeleted, groupRoleAdded, groupRoleRemoved, groupMemberAdded, groupMemberRemoved,
        directoryCreated, directoryUpdated, directoryDeleted, directorySynced, directoryTested, directoryPasswordChanged,
        directoryPasswordChangeFailed,
    ]
}

extension AuditEvent {
    public init(kind: AuditEventKind, at: Date, actor: String? = nil, subject: String? = nil, clientID: String? = nil, clientAddress: String? = nil, detail: String? = nil) {
        self.init(type: kind.rawValue, at: at, actor: actor, subject: subject, clientID: clientID, clientAddress: clientAddress, detail: detail)
    }

    /// The registered kind this event was recorded under.
    public var kind: AuditEventKind { AuditEventKind(rawValue: type) }
}
