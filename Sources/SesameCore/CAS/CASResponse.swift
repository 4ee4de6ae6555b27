import Foundation
import SesameModels

/// The validation responses of CAS 1.0 (text), 2.0/3.0 (XML) and 3.0 JSON. Every value is escaped.
public enum CASResponse {
    public static func text(_ result: Result<CASValidation, CASError>) -> String {
        switch result {
        case .success(let validation): "yes\n\(validation.user.username)\n"
        case .failure: "no\n"
        }
    }

    public static func xml(_ result: Result<CASValidation, CASError>, includeAttributes: Bool, pgtIOU: String? = nil) -> String {
        var xml = "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n"
        switch result {
        case .success(let validation):
            xml += "  <cas:authenticationSuccess>\n    <cas:user>\(escape(validation.user.username))</cas:user>\n"
            if let pgtIOU { xml += "    <cas:proxyGrantingTicket>\(escape(pgtIOU))</cas:proxyGrantingTicket>\n" }
            if !validation.record.proxies.isEmpty {
                xml += "    <cas:proxies>\n" + validation.record.proxies.map { "      <cas:proxy>\(escape($0))</cas:proxy>\n" }.joined() + "    </cas:proxies>\n"
            }
            if includeAttributes {
                xml += "    <cas:attributes>\n"
                for (name, values) in validation.attributes {
                    for value in values { xml += "      <cas:\(name)>\(escape(value))</cas:\(name)>\n" }
                }
                xml += "    </cas:attributes>\n"
            }
            xml += "  </cas:authenticationSuccess>\n"
        case .failure(let error):
            xml += "  <cas:authenticationFailure code=\"\(error.code)\">\(escape(error.message))</cas:authenticationFailure>\n"
        }
        return xml + "</cas:serviceResponse>\n"
    }

    public static func json(_ result: Result<CASValidation, CASError>, includeAttributes: Bool, pgtIOU: String? = nil) -> String {
        let body: [String: Any]
        switch result {
        case .success(let validation):
            var success: [String: Any] = ["user": validation.user.username]
            if !validation.record.proxies.isEmpty { success["proxies"] = validation.record.proxies }
            if let pgtIOU { success["proxyGrantingTicket"] = pgtIOU }
            if includeAttributes {
                success["attributes"] = Dictionary(validation.attributes.map { ($0.name, $0.values as Any) }, uniquingKeysWith: { a, _ in a })
            }
            body = ["serviceResponse": ["authenticationSuccess": success]]
        case .failure(let error):
            body = ["serviceResponse": ["authenticationFailure": ["code": error.code, "description": error.message]]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func proxy(_ result: Result<String, CASError>) -> String {
        var xml = "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n"
        switch result {
        case .success(let ticket):
            xml += "  <cas:proxySuccess>\n    <cas:proxyTicket>\(escape(ticket))</cas:proxyTicket>\n  </cas:proxySuccess>\n"
        case .failure(let error):
            xml += "  <cas:proxyFailure code=\"\(error.code)\">\(escape(error.message))</cas:proxyFailure>\n"
        }
        return xml + "</cas:serviceResponse>\n"
    }

    /// The SAML LogoutRequest that single log-out posts to each service (CAS 3.0 Appendix C).
    public static func logoutRequest(ticket: String, id: String, at date: Date) -> String {
        let instant = ISO8601DateFormatter().string(from: date)
        return """
            <samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
            ID="\(escape(id))" Version="2.0" IssueInstant="\(instant)"><saml:NameID>@NOT_USED@</saml:NameID>\
            <samlp:SessionIndex>\(escape(ticket))</samlp:SessionIndex></samlp:LogoutRequest>
            """
    }

    /// XML escaping by byte (see `MarkupEscaping`).
    public static func escape(_ text: String) -> String {
        MarkupEscaping.escape(text)
    }
}
