import Hummingbird
import Mustache
import NIOCore

/// Renders the HTML pages from the compiled-in templates.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        let templates = ["header": Templates.header, "footer": Templates.footer, "login": Templates.login,
                         "account": Templates.account, "error": Templates.error, "consent": Templates.consent,
                         "formPost": Templates.formPost, "endSession": Templates.endSession, "signedOut": Templates.signedOut,
                         "frontChannelLogout": Templates.frontChannelLogout,
                         "twoFactorCode": Templates.twoFactorCode, "twoFactorEnrol": Templates.twoFactorEnrol,
                         "recoveryCodes": Templates.recoveryCodes, "twoFactorStatus": Templates.twoFactorStatus]
        for (name, text) in templates {
            // The templates are constants compiled into the binary; a parse error is a build defect.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(values, withTemplate: template) ?? ""
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
