import Foundation
import Hummingbird
import SesameHummingbird

// The dashboard: one sign-in through Sesame, a page for everyone signed in, one for editors.
// Configured by the environment: SESAME_ISSUER, CLIENT_ID, CLIENT_SECRET, APP_URL, PORT, COOKIE_SECRET (hex).
let env = ProcessInfo.processInfo.environment
let sesame = try await SesameWeb.connect(SesameAppSettings(
    issuer: env["SESAME_ISSUER"] ?? "http://127.0.0.1:8080", clientID: env["CLIENT_ID"] ?? "", clientSecret: env["CLIENT_SECRET"] ?? "",
    appURL: env["APP_URL"] ?? "http://127.0.0.1:9001", cookieSecret: hexBytes(env["COOKIE_SECRET"] ?? "")
))

let router = Router(context: SesameAppContext.self)
router.add(middleware: sesame.authentication)
sesame.addRoutes(to: router)
router.group("/").add(middleware: sesame.require(.signedIn))
    .get { _, context in page("Dashboard", "Welcome, \(context.sesameUser?.username ?? "?"). Roles here: \(context.sesameUser?.roles.sorted().joined(separator: ", ") ?? "").") }
router.group("/editors").add(middleware: sesame.require(.hasRole("editor")))
    .get { _, _ in page("Dashboard editors", "Only editors see the dashboard's drafts.") }

let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: Int(env["PORT"] ?? "9001") ?? 9001)))
try await app.runService()
