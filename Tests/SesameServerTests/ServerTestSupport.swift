import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SesameCore
import SesameSQL
import SesameSQLite
import SesameServer
import SesameTestSupport

let fastHasher = PasswordHasher(parameters: ScryptParameters(logN: 10, r: 8, p: 1))

/// Runs `body` against the real router on a fresh SQLite store holding alice (password "right-password").
func withServer(
    issuer: String = "http://127.0.0.1:8080",
    authenticators: (@Sendable (SQLStore) -> [any PrimaryAuthenticator])? = nil,
    twoFactor: (@Sendable (SQLStore) -> TwoFactorDependencies)? = nil,
    _ body: @Sendable (any TestClientProtocol, SQLStore) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sesame-server-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let store = try await SQLiteStore.open(path: directory + "/sesame.db", logger: logger)
    try await AccountService(users: store, sessions: store, hasher: fastHasher)
        .addUser(username: "alice", email: "alice@example.com", name: "Alice Liddell", password: "right-password")
    let dependencies = ServerDependencies(
        users: store, health: store,
        signIn: authenticators.map { SignInService(users: store, throttle: store, authenticators: $0(store)) }
            ?? SignInService(users: store, throttle: store, hasher: fastHasher),
        sessions: SessionService(store: store, settings: SessionSettings()),
        csrf: DataKey(bytes: Array(repeating: 5, count: 32))!.csrf,
        twoFactor: twoFactor?(store)
    )
    let router = SesameServer.router(dependencies: dependencies, settings: ServerSettings(issuer: URL(string: issuer)!))
    let app = Application(router: router, logger: logger)
    do {
        try await app.test(.router) { client in try await body(client, store) }
        try await store.close()
    } catch {
        try? await store.close()
        throw error
    }
}

/// A browser's cookie jar, just enough for these tests.
struct Browser {
    var cookies: [String: String] = [:]

    var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func remember(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2 else { continue }
            if header.contains("Max-Age=0") || pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
    }

    mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader, body: nil)
        remember(response)
        return response
    }

    mutating func post(_ client: some TestClientProtocol, _ uri: String, form: [String: String]) async throws -> TestResponse {
        let body = form.map { "\($0.key)=\(formEncode($0.value))" }.joined(separator: "&")
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// GETs the sign-in form and posts it with the token it carried.
    mutating func signIn(_ client: some TestClientProtocol, _ username: String, _ password: String, returnTo: String? = nil) async throws -> TestResponse {
        let page = try await get(client, "/login")
        var form = ["csrf_token": csrfToken(in: page.bodyText), "username": username, "password": password]
        form["return_to"] = returnTo
        return try await post(client, "/login", form: form)
    }
}

func formEncode(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}

func csrfToken(in html: String) -> String {
    guard let range = html.range(of: #"name="csrf_token" value=""#) else { return "" }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

extension TestResponse {
    var bodyText: String { String(buffer: body) }
}

/// Runs a tool and returns its exit status and what it wrote to standard output, through files
/// (`ChildProcess`: no pipe to drain, no thread of Swift's concurrency pool blocked).
func runTool(_ path: String, _ arguments: [String], input: String? = nil) async throws -> (status: Int32, output: String) {
    let files = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)").path
    let inputFile = files + ".in", outputFile = files + ".out"
    defer {
        try? FileManager.default.removeItem(atPath: inputFile)
        try? FileManager.default.removeItem(atPath: outputFile)
    }
    if let input { try input.write(toFile: inputFile, atomically: false, encoding: .utf8) }
    let status = try await ChildProcess.run(path, arguments, input: input == nil ? nil : inputFile, output: outputFile)
    return (status, try String(contentsOfFile: outputFile, encoding: .utf8))
}
