import Foundation
import Hummingbird
import SesameCore
import SesameJOSE

/// A directory's warning (the password expires soon, grace logins left) carried to the second
/// sign-in step in its link: the text with an HMAC, so a link made elsewhere cannot put words of
/// its choosing on a Sesame page.
struct SignInNoticeLink {
    static let parameter = "notice"
    static let maxBytes = 300
    let signer: CSRFTokens

    init(csrf: CSRFTokens) {
        signer = csrf.derived(for: "sign-in-notice")
    }

    /// `text.mac`, both base64url; nil for a notice too long to carry.
    func value(for message: String) -> String? {
        guard message.utf8.count <= Self.maxBytes else { return nil }
        return Base64URL.encode(Array(message.utf8)) + "." + signer.token(for: message)
    }

    /// The notice in the request's link, when its signature holds.
    func message(in request: Request) -> String? {
        guard let value = request.uri.queryParameters[Substring(Self.parameter)].map(String.init), value.utf8.count <= 2 * Self.maxBytes,
            let dot = value.firstIndex(of: "."), let bytes = Base64URL.decode(String(value[..<dot])),
            let message = String(validating: bytes, as: UTF8.self), signer.verify(token: String(value[value.index(after: dot)...]), cookieValue: message)
        else { return nil }
        return message
    }
}
