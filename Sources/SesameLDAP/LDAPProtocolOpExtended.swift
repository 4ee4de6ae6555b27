import SwiftASN1

/// Object identifiers of the extended operations and controls this client speaks.
public enum LDAPOID {
    /// StartTLS (RFC 4511 §4.14).
    public static let startTLS = "1.3.6.1.4.1.1466.20037"
    /// Password Modify (RFC 3062).
    public static let passwordModify = "1.3.6.1.4.1.4203.1.11.1"
    /// Who am I? (RFC 4532).
    public static let whoAmI = "1.3.6.1.4.1.4203.1.11.3"
    /// Notice of Disconnection (RFC 4511 §4.4.1), sent unsolicited with message ID 0.
    public static let noticeOfDisconnection = "1.3.6.1.4.1.1466.20036"
    /// Simple paged results control (RFC 2696).
    public static let pagedResults = "1.2.840.113556.1.4.319"
    /// Password policy control (draft-behera-ldap-password-policy).
    public static let passwordPolicy = "1.3.6.1.4.1.42.2.27.8.5.1"
    /// Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: nested group membership in one filter.
    public static let matchingRuleInChain = "1.2.840.113556.1.4.1941"
}

/// The Password Modify request value (RFC 3062 §2): every field optional; a user changing their
/// own password sends the old and the new one.
public struct LDAPPasswordModifyRequest: Sendable, Equatable, CustomStringConvertible {
    public var userIdentity: String?
    public var oldPassword: [UInt8]?
    public var newPassword: [UInt8]?

    public init(userIdentity: String? = nil, oldPassword: [UInt8]? = nil, newPassword: [UInt8]? = nil) {
        self.userIdentity = userIdentity
        self.oldPassword = oldPassword
        self.newPassword = newPassword
    }

    /// PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0], oldPasswd [1], newPasswd [2] }, each OPTIONAL.
    public func encode() -> [UInt8] {
        var coder = DER.Serializer()
        coder.writeConstructed(.sequence) { inner in
            if let userIdentity { inner.writeString(userIdentity, BERTag.context(0)) }
            if let oldPassword { inner.writeOctets(oldPassword, BERTag.context(1)) }
            if let newPassword { inner.writeOctets(newPassword, BERTag.context(2)) }
        }
        return coder.serializedBytes
    }

    public init(decoding value: [UInt8], limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        let reader = BERReader(limits: limits)
        var fields = try reader.children(reader.parse(value[...]), .sequence, "PasswdModifyRequestValue")
        userIdentity = try fields.optional(BERTag.context(0)).map { node throws(LDAPMessageError) in try reader.string(node, BERTag.context(0), "userIdentity") }
        oldPassword = try fields.optional(BERTag.context(1)).map { node throws(LDAPMessageError) in try reader.octets(node, BERTag.context(1), "oldPasswd") }
        newPassword = try fields.optional(BERTag.context(2)).map { node throws(LDAPMessageError) in try reader.octets(node, BERTag.context(2), "newPasswd") }
        try fields.end()
    }

    /// The extended request that carries this value.
    public var operation: LDAPOperation { .extendedRequest(name: LDAPOID.passwordModify, value: encode()) }

    // Never prints the passwords.
    public var description: String {
        "passwordModify(\(userIdentity ?? "self"), old: \(oldPassword == nil ? "none" : "redacted"), new: \(newPassword == nil ? "none" : "redacted"))"
    }
}

/// The Password Modify response value: the password the server generated, when it made one.
public struct LDAPPasswordModifyResponse: Sendable, Equatable {
    public var generatedPassword: [UInt8]?

    public init(generatedPassword: [UInt8]? = nil) { self.generatedPassword = generatedPassword }

    /// PasswdModifyResponseValue ::= SEQUENCE { genPasswd [0] OCTET STRING OPTIONAL }; an absent
    /// value (servers omit it when nothing was generated) is an empty response.
    public init(decoding value: [UInt8]?, limits: LDAPDecodingLimits = .default) throws(LDAPMessageError) {
        guard let value else { return }
        let reader = BERReader(limits: limits)
        var fields = try reader.children(reader.parse(value[...]), .sequence, "PasswdModifyResponseValue")
        generatedPassword = try fields.optional(BERTag.context(0)).map { node throws(LDAPMessageError) in try reader.octets(node, BERTag.context(0), "genPasswd") }
        try fields.end()
    }

    public func encode() -> [UInt8] {
        var coder = DER.Serializer()
        coder.writeConstructed(.sequence) { inner in
            if let generatedPassword { inner.writeOctets(generatedPassword, BERTag.context(0)) }
        }
        return coder.serializedBytes
    }
}

extension LDAPOperation {
    public static var startTLS: LDAPOperation { .extendedRequest(name: LDAPOID.startTLS) }
    public static var whoAmI: LDAPOperation { .extendedRequest(name: LDAPOID.whoAmI) }
}
