import Foundation
import Hummingbird
import SesameHummingbird

// The document library: the same sign-in as the dashboard, an editors' page, and a JSON API
// that takes Sesame access tokens. Configured like the dashboard.
let env = ProcessInfo.processInfo.environment
let sesame = try await SesameWeb.connect(SesameAppSettings(
    issuer: env["SESAME_ISSUER"] ?? "http://127.0.0.1:8080", clientID: env["CLIENT_ID"] ?? "", clientSecret: env["CLIENT_SECRET"] ?? "",
    appURL: env["APP_URL"] ?? "http://127.0.0.1:9002", cookieSecret: hexBytes(env["COOKIE_SECRET"] ?? "")
))

let router = Router(context: SesameAppContext.self)
router.add(middleware: sesame.authentication)
sesame.addRoutes(to: router)
router.group("/").add(middleware: sesame.require(.signedIn))
    .get { request, context in
        let canEdit = sesame.allows(.anyOf(.hasRole("editor"), .hasPermission("documents:edit")), request: request, context: context)
        return page("Document library", "Hello \(context.sesameUser?.username ?? "?"). \(canEdit ? "You may edit." : "You may read.")")
    }
router.group("/editors").add(middleware: sesame.require(.hasRole("editor")))
    .get { _, _ in page("Library editors", "Only editors see the library's review queue.") }
router.group("/api/me").add(middleware: sesame.require(.signedIn))
    .get { _, context in
        let user = context.sesameUser!
        return #"{"subject":"\#(user.subject)","roles":\#(user.roles.sorted())}"#
    }

// The same question asked of Sesame instead (token introspection), for comparison.
router.get("/api/introspect") { request, _ -> Response in
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), let introspector = sesame.introspector,
        let token = try await introspector.introspect(String(header.dropFirst(7)))
    else { return Response(status: .unauthorized) }
    return Response(status: .ok, body: .init(byteBuffer: .init(string: #"{"active":true,"subject":"\#(token.subject)"}"#)))
}

let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: Int(env["PORT"] ?? "9002") ?? 9002)))
try await app.runService()
