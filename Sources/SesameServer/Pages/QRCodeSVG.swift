import SesameCore

/// Draws a QR code for the enrolment page. The core gives the `otpauth://` URI and its modules;
/// how it looks is the page's business. The markup holds only numbers Sesame computed, which is
/// why the template may insert it unescaped.
enum QRCodeSVG {
    static func render(text: String) throws -> String { render(try QRCode(text: text)) }

    /// One unit per module, with the four-module quiet zone scanners need.
    static func render(_ code: QRCode) -> String {
        let full = code.size + 8
        var path = ""
        for y in 0..<code.size { for x in 0..<code.size where code.modules[y][x] { path += "M\(x + 4),\(y + 4)h1v1h-1z" } }
        return ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(full) \##(full)" shape-rendering="crispEdges" role="img" aria-label="QR code">"##
            + ##"<rect width="\##(full)" height="\##(full)" fill="#fff"/><path fill="#000" d="\##(path)"/></svg>"##
    }
}
