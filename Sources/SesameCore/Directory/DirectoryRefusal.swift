/// Why a directory refused a person, decoded from the bind's answer (Active Directory's `data NNN`
/// code, the password policy control) or the entry's own state, with what the person is told.
public enum DirectoryRefusal: Sendable, Equatable {
    /// Wrong password, or (AD's 525) no such user: the same generic message, so nobody learns which.
    case wrongPassword
    case disabled
    case locked
    case accountExpired
    case passwordExpired
    case mustChangePassword
    case timeRestricted
    case workstationRestricted
    /// Refused for a reason not listed (its code in the audit), told as a wrong password.
    case other(String)

    public var reason: SignInFailureReason {
        switch self {
        case .wrongPassword: .wrongPassword
        case .disabled: .accountDisabled
        case .locked: .accountLocked
        case .accountExpired: .accountExpired
        case .passwordExpired: .passwordExpired
        case .mustChangePassword: .mustChangePassword
        case .timeRestricted: .timeRestricted
        case .workstationRestricted: .workstationRestricted
        case .other: .directoryRefused
        }
    }

    /// What the person reads; nil: the generic "Incorrect username or password".
    public var message: String? {
        switch self {
        case .wrongPassword, .other: nil
        case .disabled: "Your account is disabled. Contact your administrator."
        case .locked: "Your account is locked after too many failed sign-ins. Try again later or contact your administrator."
        case .accountExpired: "Your account has expired. Contact your administrator."
        case .passwordExpired: "Your password has expired. Choose a new one to sign in."
        case .mustChangePassword: "You must choose a new password before you sign in."
        case .timeRestricted: "Your account may not sign in at this time of day."
        case .workstationRestricted: "Your account may not sign in from this computer."
        }
    }

    /// What `SignInService` throws for it.
    public func failure(directory: String, detail: String) -> SignInFailure {
        let shown: SignInError? = switch self {
        case .wrongPassword, .other: nil
        case .passwordExpired, .mustChangePassword: .passwordChangeRequired(directory, message: message ?? "")
        default: .accountRefused(directory, message: message ?? "")
        }
        return SignInFailure(reason, detail: detail, shown: shown)
    }

    /// Active Directory's sub-code in a refused bind's diagnostic message
    /// (`80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563`).
    public static func activeDirectory(code: String) -> DirectoryRefusal {
        switch code.lowercased() {
        case "525", "52e": .wrongPassword
        case "530": .timeRestricted
        case "531": .workstationRestricted
        case "532": .passwordExpired
        case "533": .disabled
        case "701": .accountExpired
        case "773": .mustChangePassword
        case "775": .locked
        default: .other("data " + code.lowercased())
        }
    }

    /// The hex code after `data ` in an AD diagnostic message (at most 8 digits), if there is one.
    public static func activeDirectoryCode(in message: String) -> String? {
        let bytes = Array(message.utf8.prefix(1024))
        let marker = Array("data ".utf8)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where Array(bytes[start..<(start + marker.count)]) == marker {
            let digits = bytes[(start + marker.count)...].prefix { isHex($0) }.prefix(9)
            if (1...8).contains(digits.count) { return String(decoding: digits, as: UTF8.self) }
        }
        return nil
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte | 0x20)
    }

    /// A bind's answer as a refusal; nil when it succeeded with nothing to refuse.
    static func of(_ bind: DirectoryBindResult) -> DirectoryRefusal? {
        // The password policy control is the most precise answer when there is one.
        switch bind.passwordPolicy?.error {
        case .accountLocked: return .locked
        case .passwordExpired: return .passwordExpired
        case .changeAfterReset: return .mustChangePassword
        default: break
        }
        if bind.resultCode == 0 { return nil }
        if let code = activeDirectoryCode(in: bind.diagnosticMessage) { return activeDirectory(code: code) }
        return bind.resultCode == 49 ? .wrongPassword : .other("result \(bind.resultCode)")
    }
}
