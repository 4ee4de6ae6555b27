import Hummingbird

/// A page that posts `fields` to another site by itself (OAuth form_post, CAS method=POST). Its
/// script is served by Sesame, and its CSP allows posting to that one origin only: `action` is the
/// redirect URI or service already checked against the registration, so its exact origin is the
/// one place this form may go (and where the app's answer to it may redirect, as Chromium checks).
extension PageRenderer {
    func formPost(to action: String, fields: [(String, String)]) -> Response {
        var response = render("formPost", [
            "title": "Signing you in", "action": action, "fields": fields.map { ["name": $0.0, "value": $0.1] },
        ])
        let origin = FormDestinations.source(of: action) ?? "'none'"
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; form-action \(origin); frame-ancestors 'none'; base-uri 'none'"
        return response
    }
}
