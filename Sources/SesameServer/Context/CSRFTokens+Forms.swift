import Hummingbird
import SesameCore

extension CSRFTokens {
    /// Every form Sesame serves carries `csrf_token`; a submission without the one that fits this
    /// browser's CSRF cookie is refused with 403.
    func requireValidToken(in token: String?, from request: Request, cookies: BrowserCookies) throws {
        guard verify(token: token, cookieValue: cookies.csrfValue(in: request)) else {
            throw HTTPError(.forbidden, message: "This form has expired or did not come from Sesame. Go back, reload the page and try again.")
        }
    }
}
