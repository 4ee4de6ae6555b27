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
        router.get("/static/frontchannel-logout.js") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Self.frontChannelScript))
            )
        }
        router.get("/") { _, _ in Response.redirect(to: "/account", type: .normal) }
    }

    /// Moves on once every app's frame has loaded, or after three seconds whatever happens.
    static let frontChannelScript = """
        (function () {
          var frames = Array.prototype.slice.call(document.querySelectorAll('iframe.logout-frame'));
          var next = document.getElementById('continue').href;
          var left = frames.length, done = false;
          function go() { if (!done) { done = true; window.location.replace(next); } }
          frames.forEach(function (frame) { frame.addEventListener('load', function () { if (--left <= 0) go(); }); });
          if (left === 0) go();
          setTimeout(go, 3000);
        })();

        """
}
