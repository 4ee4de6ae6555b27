/// An LDAP result code (RFC 4511 §4.1.9). A struct over the number rather than an enum, because
/// servers answer codes this list does not name.
public struct LDAPResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let success = LDAPResultCode(rawValue: 0)
    public static let operationsError = LDAPResultCode(rawValue: 1)
    public static let protocolError = LDAPResultCode(rawValue: 2)
    public static let timeLimitExceeded = LDAPResultCode(rawValue: 3)
    public static let sizeLimitExceeded = LDAPResultCode(rawValue: 4)
    public static let authMethodNotSupported = LDAPResultCode(rawValue: 7)
    public static let strongerAuthRequired = LDAPResultCode(rawValue: 8)
    public static let referral = LDAPResultCode(rawValue: 10)
    public static let unavailableCriticalExtension = LDAPResultCode(rawValue: 12)
    public static let confidentialityRequired = LDAPResultCode(rawValue: 13)
    public static let noSuchAttribute = LDAPResultCode(rawValue: 16)
    public static let constraintViolation = LDAPResultCode(rawValue: 19)
    public static let noSuchObject = LDAPResultCode(rawValue: 32)
    public static let invalidDNSyntax = LDAPResultCode(rawValue: 34)
    public static let invalidCredentials = LDAPResultCode(rawValue: 49)
    public static let insufficientAccessRights = LDAPResultCode(rawValue: 50)
    public static let busy = LDAPResultCode(rawValue: 51)
    public static let unavailable = LDAPResultCode(rawValue: 52)
    public static let unwillingToPerform = LDAPResultCode(rawValue: 53)
    public static let other = LDAPResultCode(rawValue: 80)

    public var description: String { "\(rawValue)" }
}
