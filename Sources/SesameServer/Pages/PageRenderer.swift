import Hummingbird
import Mustache
import NIOCore

/// Renders the HTML pages from the compiled-in templates.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Registered once, process-wide: swift-mustache keeps content types in a global table.
    private static let escaping: Void = MustacheContentTypes.register(ScalarHTMLEscaping(), named: ScalarHTMLEscaping.name)

    init() {
        _ = Self.escaping
        var library = MustacheLibrary()
        let templates = ["header": Templates.header, "footer": Templates.footer, "login": Templates.login,
                         "account": Templates.account, "error": Templates.error, "consent": Templates.consent,
                         "formPost": Templates.formPost, "endSession": Templates.endSession, "signedOut": Templates.signedOut,
                         "frontChannelLogout": Templates.frontChannelLogout,
                         "twoFactorCode": Templates.twoFactorCode, "twoFactorEnrol": Templates.twoFactorEnrol,
                         "recoveryCodes": Templates.recoveryCodes, "twoFactorStatus": Templates.twoFactorStatus,
                         "changePassword": Templates.changePassword, "signInNotice": Templates.signInNotice]
        for (name, text) in templates {
            // Every template (partials too: each starts with HTML escaping again) escapes by byte,
            // added here so that no template can forget it. The templates are constants compiled
            // into the binary; a parse error is a build defect.
            try! library.register("{{% CONTENT_TYPE: \(ScalarHTMLEscaping.name)}}\n" + text, named: name)
        }
        self.library = library
    }

    /// Pages whose form, once submitted, can end in a redirect to an app (sign-in and the second
    /// step go on to /authorize or /cas/login, consent and sign-out to the app). Chromium checks
    /// `form-action` against each redirect, so these pages leave it out unless their route names
    /// where the answer may go (`restrictForms`); every other page gets `form-action 'self'` from
    /// `SecurityHeadersMiddleware`.
    static let formsThatLeaveSesame: Set = ["login", "twoFactorCode", "twoFactorEnrol", "consent", "endSession"]

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var response = Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html(template, values)))
        )
        if Self.formsThatLeaveSesame.contains(template) {
            response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware<SesameRequestContext>.contentSecurityPolicy(formAction: nil)
        }
        return response
    }

    /// Forms may post to Sesame only, and its answer redirect on to `uris` (places Sesame checked:
    /// a registered redirect URI or service). Left as it is if one is not a clean CSP source.
    func restrictForms(of response: inout Response, goingOnTo uris: [String]) {
        let sources = uris.map(FormDestinations.source(of:))
        guard !sources.contains(nil) else { return }
        let formAction = ["'self'"] + Set(sources.compactMap { $0 }).sorted()
        response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware<SesameRequestContext>.contentSecurityPolicy(formAction: formAction)
    }

    func html(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }
}
