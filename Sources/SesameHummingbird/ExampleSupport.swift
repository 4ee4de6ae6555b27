import Hummingbird
import SesameModels

/// A minimal HTML page (the examples and quick apps; escapes what it is given).
public func page(_ title: String, _ message: String) -> Response {
    // By byte, as Sesame's own pages: `"` followed by a combining mark is one `Character`.
    let escape = MarkupEscaping.escape
    let html = """
        <!doctype html><html><head><meta charset="utf-8"><title>\(escape(title))</title></head>
        <body><h1>\(escape(title))</h1><p id="message">\(escape(message))</p>
        <form method="post" action="/logout"><button id="logout">Sign out</button></form></body></html>
        """
    return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: html)))
}

/// Bytes from hex text (for a cookie secret given in the environment); empty on bad input.
public func hexBytes(_ text: String) -> [UInt8] {
    let characters = Array(text)
    guard characters.count % 2 == 0 else { return [] }
    return stride(from: 0, to: characters.count, by: 2).compactMap { UInt8(String(characters[$0...$0 + 1]), radix: 16) }
}
