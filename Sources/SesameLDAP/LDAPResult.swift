import SwiftASN1

/// LDAPResult (RFC 4511 §4.1.9): what every response carries.
public struct LDAPResult: Sendable, Equatable {
    public var code: LDAPResultCode
    public var matchedDN: String
    /// The server's words (Active Directory puts `data 52e` and the like here).
    public var diagnosticMessage: String
    /// Referral URIs, when `code` is `.referral`.
    public var referral: [String]

    public init(code: LDAPResultCode, matchedDN: String = "", diagnosticMessage: String = "", referral: [String] = []) {
        self.code = code
        self.matchedDN = matchedDN
        self.diagnosticMessage = diagnosticMessage
        self.referral = referral
    }

    public static let success = LDAPResult(code: .success)
}

extension LDAPResult {
    /// Writes the COMPONENTS OF LDAPResult into an enclosing response sequence.
    func writeComponents(into coder: inout DER.Serializer) {
        coder.writeEnumerated(code.rawValue)
        coder.writeString(matchedDN)
        coder.writeString(diagnosticMessage)
        if !referral.isEmpty {
            coder.writeConstructed(BERTag.context(3)) { inner in
                for uri in referral { inner.writeString(uri) }
            }
        }
    }

    /// Reads the COMPONENTS OF LDAPResult at the start of a response sequence.
    static func readComponents(_ cursor: inout BERCursor, _ reader: BERReader) throws(LDAPMessageError) -> LDAPResult {
        let code = try reader.enumerated(cursor.next("resultCode"), "resultCode")
        let matchedDN = try reader.string(cursor.next("matchedDN"), "matchedDN")
        let message = try reader.text(cursor.next("diagnosticMessage"), "diagnosticMessage")
        var referral: [String] = []
        if let node = cursor.optional(BERTag.context(3)) {
            var uris = try reader.children(node, BERTag.context(3), "referral")
            guard uris.count > 0 else { throw .malformed("referral: empty") }
            while !uris.isAtEnd { referral.append(try reader.string(uris.next("URI"), "referral URI")) }
        }
        return LDAPResult(code: LDAPResultCode(rawValue: code), matchedDN: matchedDN, diagnosticMessage: message, referral: referral)
    }
}
