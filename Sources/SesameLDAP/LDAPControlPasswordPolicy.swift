import SwiftASN1

/// The password policy control (draft-behera-ldap-password-policy §6): a bind asks for it with
/// no value; the server answers with a warning (expiry soon, grace logins left) and/or an error.
public enum LDAPPasswordPolicyControl {
    /// The request: no value, not critical, so servers without the policy simply ignore it.
    public static var request: LDAPControl { LDAPControl(oid: LDAPOID.passwordPolicy) }
}

/// PasswordPolicyResponseValue, decoded. SesameCore's DirectoryPasswordPolicyResponse has the same
/// shape; this one stays here so SesameLDAP depends on nothing of Sesame.
public struct LDAPPasswordPolicyResponse: Sendable, Equatable {
    public enum Warning: Sendable, Equatable {
        case timeBeforeExpiration(Int)
        case graceAuthNsRemaining(Int)
    }

    public enum Failure: Int, Sendable, Equatable, CaseIterable {
        case passwordExpired = 0
        case accountLocked = 1
        case changeAfterReset = 2
        case passwordModNotAllowed = 3
        case mustSupplyOldPassword = 4
        case insufficientPasswordQuality = 5
        case passwordTooShort = 6
        case passwordTooYoung = 7
        case passwordInHistory = 8
    }

    public var warning: Warning?
    public var error: Failure?

    public init(warning: Warning? = nil, error: Failure? = nil) {
        self.warning = warning
        self.error = error
    }

    /// PasswordPolicyResponseValue ::= SEQUENCE {
    ///   warning [0] CHOICE { timeBeforeExpiration [0] INTEGER, graceAuthNsRemaining [1] INTEGER } OPTIONAL,
    ///   error   [1] ENUMERATED OPTIONAL }
    /// A CHOICE cannot be tagged implicitly, so `warning` is [0] constructed around the chosen [0]/[1].
    public init(decoding control: LDAPControl, limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        guard control.oid == LDAPOID.passwordPolicy else { throw .malformed("password policy: control \(control.oid)") }
        // A response control with no value says nothing: no warning, no error.
        guard let value = control.value else { return }
        let reader = BERReader(limits: limits)
        var fields = try reader.children(reader.parse(value[...]), .sequence, "PasswordPolicyResponseValue")
        if let node = fields.optional(BERTag.context(0)) {
            var choice = try reader.children(node, BERTag.context(0), "warning")
            let chosen = try choice.next("warning choice")
            try choice.end()
            switch chosen.identifier {
            case BERTag.context(0):
                warning = .timeBeforeExpiration(Int(try reader.int32(chosen, BERTag.context(0), "timeBeforeExpiration")))
            case BERTag.context(1):
                warning = .graceAuthNsRemaining(Int(try reader.int32(chosen, BERTag.context(1), "graceAuthNsRemaining")))
            default:
                throw .malformed("password policy: warning \(chosen.identifier)")
            }
        }
        if let node = fields.optional(BERTag.context(1)) {
            let number = try reader.integer(node, BERTag.context(1), "error")
            guard let failure = Failure(rawValue: Int(truncatingIfNeeded: number)), Int64(failure.rawValue) == number else {
                throw .malformed("password policy: error \(number)")
            }
            error = failure
        }
        try fields.end()
    }

    /// The response among `controls`, decoded; nil when the server sent none.
    public static func find(in controls: [LDAPControl], limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) -> LDAPPasswordPolicyResponse? {
        guard let control = controls.first(oid: LDAPOID.passwordPolicy) else { return nil }
        return try LDAPPasswordPolicyResponse(decoding: control, limits: limits)
    }

    /// The response control as a server would send it (tests, and a fake server).
    public var control: LDAPControl {
        var coder = DER.Serializer()
        coder.writeConstructed(.sequence) { inner in
            switch warning {
            case .timeBeforeExpiration(let seconds)?:
                inner.writeConstructed(BERTag.context(0)) { $0.writeInteger(seconds, BERTag.context(0)) }
            case .graceAuthNsRemaining(let count)?:
                inner.writeConstructed(BERTag.context(0)) { $0.writeInteger(count, BERTag.context(1)) }
            case nil:
                break
            }
            if let error { inner.writeInteger(error.rawValue, BERTag.context(1)) }
        }
        return LDAPControl(oid: LDAPOID.passwordPolicy, value: coder.serializedBytes)
    }
}
