import Foundation
import SesameCore

/// A signed time carried on the way back from the sign-in page (`sesame_auth_after`): a session
/// that signed in at or after it counts as a fresh sign-in, so a forced sign-in (prompt=login,
/// max_age, CAS renew) is satisfied by the one just done instead of asking again.
struct FreshSignInMarker {
    static let parameter = "sesame_auth_after"
    let csrf: CSRFTokens

    func make(at date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        return "\(seconds).\(csrf.token(for: "auth_after:\(seconds)"))"
    }

    /// The time in a marker Sesame made; nil for anything forged or malformed.
    func time(in marker: String) -> Date? {
        let parts = marker.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, csrf.verify(token: parts[1], cookieValue: "auth_after:\(parts[0])"), let seconds = Double(parts[0]) else {
            return nil
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// The sign-in page, forced, returning to `path` with `parameters` and a fresh marker.
    func signInRedirect(back path: String, parameters: [String: String], at date: Date, secondFactor: Bool, loginHint: String? = nil) -> String {
        var back = parameters
        back[Self.parameter] = make(at: date)
        let url = path + "?" + back.sorted { $0.key < $1.key }.map { "\($0.key)=\(AuthorizeRoutes.encode($0.value))" }.joined(separator: "&")
        var login = "/login?reauth=1&return_to=" + AuthorizeRoutes.encode(url)
        if secondFactor { login += "&mfa=1" }
        if let loginHint { login += "&login_hint=" + AuthorizeRoutes.encode(loginHint) }
        return login
    }
}
