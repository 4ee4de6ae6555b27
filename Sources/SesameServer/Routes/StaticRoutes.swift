import Hummingbird
import NIOCore

/// Static assets compiled into the binary.
struct StaticRoutes {
    func register(on router: Router<SesameRequestContext>) {
        router.get("/static/sesame.css") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css))
            )
        }
        router.get("/static/form-post.js") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: "document.getElementById('form-post').submit();\n"))
            )
        }
        router.get("/") { _, _ in Response.redirect(to: "/account", type: .normal) }
    }
}
