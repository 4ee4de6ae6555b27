import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SesameCore
import SesameSQL
import SesameSQLite
import SesameServer
import Testing

/// The sign-in page, the change-password page and `/healthz` of a whole server (as `sesame serve`
/// builds it) whose sign-in asks the real slapd first, then local passwords.
@Suite(.enabled(if: TestLDAP.available, TestLDAP.skipped)) struct DirectoryRoutesTests {
    static let dataKey = DataKey(bytes: Array(repeating: 3, count: 32))!

    static func withDirectoryServer(
        _ directories: [DirectoryConfiguration] = [TestLDAP.configuration()],
        _ body: @Sendable (any TestClientProtocol, SQLStore) async throws -> Void
    ) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sesame-dir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try await SQLiteStore.open(path: path + "/sesame.db", logger: logger)
        for directory in directories { try await SealedDirectoryStore(store: store, sealer: dataKey.sealer).insert(directory) }
        var configuration = SesameConfiguration(
            issuer: URL(string: "http://127.0.0.1:8080")!, authenticators: ["directories", "local"], hasher: fastHasher
        )
        configuration.directoryCheckInterval = 0
        let sesame = try await SesameServer.make(store: store, dataKey: dataKey, configuration: configuration, logger: logger)
        try await sesame.application().test(.router) { client in try await body(client, store) }
    }

    @Test func aDirectoryPersonSignsInAndGetsARoleFromAGroupRule() async throws {
        var corp = TestLDAP.configuration()
        corp.groupRules = [DirectoryGroupRule(match: "c", roles: ["wiki:editor"])]  // alice is in a, a in b, b in c
        try await Self.withDirectoryServer([corp]) { client, store in
            var browser = Browser()
            let signedIn = try await browser.signIn(client, "alice", "alice-password", returnTo: "/account")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/account")
            let alice = try await store.user(username: "alice")
            #expect(alice != nil && alice?.passwordHash == nil, "the directory's password is never stored")
            #expect(alice?.roles.contains("wiki:editor") == true)
            let succeeded = try await Self.event("sign_in.succeeded", in: store)
            #expect(succeeded?.detail?.contains("directory=corp") == true && succeeded?.detail?.contains(TestLDAP.value("SESAME_TEST_LDAPS_URL")) == true)
        }
    }

    @Test func eachRefusalSaysWhatHappenedAndExpiryLeadsToTheChangePasswordPage() async throws {
        try await Self.withDirectoryServer { client, _ in
            var browser = Browser()
            let wrong = try await browser.signIn(client, "alice", "wrong")
            #expect(wrong.status == .unauthorized && wrong.bodyText.contains("Incorrect username or password."))
            let unknown = try await browser.signIn(client, "nobody-at-all", "wrong")
            #expect(unknown.status == .unauthorized && unknown.bodyText.contains("Incorrect username or password."))

            let locked = try await browser.signIn(client, "locked", "locked-password")
            #expect(locked.status == .forbidden && locked.bodyText.contains(#"class="error""#))
            #expect(!locked.bodyText.contains("Incorrect username or password."))

            let expired = try await browser.signIn(client, "expired", "expired-password", returnTo: "/authorize?client_id=x&state=1")
            #expect(expired.status == .ok && expired.bodyText.contains(#"action="/login/change-password""#))
            #expect(expired.bodyText.contains(#"name="ticket""#) && expired.bodyText.contains(#"name="directory" value="corp""#))
            #expect(expired.bodyText.contains("/authorize?client_id=x&amp;state=1"), "the sign-in's continuation is carried on")
            #expect(!expired.bodyText.contains("expired-password"), "no password is written back into a page")
            #expect(expired.headers[.contentSecurityPolicy] != nil && expired.headers[.cacheControl] != nil)

            // The warning of a password about to expire is shown before going on.
            let expiring = try await browser.signIn(client, "expiring", "expiring-password", returnTo: "/account")
            #expect(expiring.status == .ok && expiring.bodyText.contains(#"id="notice""#) && expiring.bodyText.contains(#"href="/account""#))
            #expect(expiring.headers[values: .setCookie].contains { $0.contains("sesame_session=") }, "signed in all the same")
        }
    }

    @Test func theExpiryWarningIsShownOnTheSecondStepWhenOneFollows() async throws {
        try await Self.withDirectoryServer { client, _ in
            var browser = Browser()
            let form = try await browser.get(client, "/login")
            let posted = try await browser.post(client, "/login", form: [
                "csrf_token": csrfToken(in: form.bodyText), "username": "expiring", "password": "expiring-password", "mfa": "1",
            ])
            let location = try #require(posted.headers[.location])
            #expect(posted.status == .seeOther && location.hasPrefix("/login/two-factor?") && location.contains("notice="))
            let second = try await browser.get(client, location)
            #expect(second.status == .ok && second.bodyText.contains(#"id="notice""#) && second.bodyText.contains("Your password expires in"))
            // A notice not signed by Sesame is not shown: a link cannot put its own words on the page.
            let forged = location.replacingOccurrences(of: "notice=", with: "notice=Q2FsbCB1cw.")
            #expect(!(try await browser.get(client, forged)).bodyText.contains(#"id="notice""#))
        }
    }

    @Test func theChangePasswordFormNeedsItsTicketAndMatchingPasswords() async throws {
        try await Self.withDirectoryServer { client, _ in
            var browser = Browser()
            let page = try await browser.signIn(client, "expired", "expired-password")
            let ticket = Self.field("ticket", in: page.bodyText)
            var form = [
                "csrf_token": csrfToken(in: page.bodyText), "username": "expired", "directory": "corp", "ticket": ticket,
                "current_password": "expired-password", "new_password": "one-new-password", "new_password_again": "another-one",
            ]
            let mismatch = try await browser.post(client, "/login/change-password", form: form)
            #expect(mismatch.status == .unprocessableContent && mismatch.bodyText.contains("The new passwords do not match."))

            // A ticket is for one login: it cannot be used to guess another person's password here.
            form["username"] = "alice"
            form["new_password_again"] = "one-new-password"
            let otherLogin = try await browser.post(client, "/login/change-password", form: form)
            #expect(otherLogin.status == .forbidden && otherLogin.bodyText.contains("This page has expired. Sign in again."))
            form["username"] = "expired"
            form["ticket"] = "9999999999.AAAA"
            #expect(try await browser.post(client, "/login/change-password", form: form).status == .forbidden)
            form["ticket"] = nil
            #expect(try await browser.post(client, "/login/change-password", form: form).status == .forbidden)
            // Another browser (another CSRF secret) cannot use this one's ticket.
            var other = Browser()
            let otherPage = try await other.get(client, "/login")
            form["ticket"] = ticket
            form["csrf_token"] = csrfToken(in: otherPage.bodyText)
            #expect(try await other.post(client, "/login/change-password", form: form).status == .forbidden)
        }
    }

    @Test func aPersonWhoMustChangeTheirPasswordChangesItAndIsSignedIn() async throws {
        try await TestLDAP.withPerson(reset: true) { uid, password in
            try await Self.withDirectoryServer { client, store in
                var browser = Browser()
                let page = try await browser.signIn(client, uid, password, returnTo: "/account")
                #expect(page.status == .ok && page.bodyText.contains(#"action="/login/change-password""#))
                let form = [
                    "csrf_token": csrfToken(in: page.bodyText), "username": uid, "directory": "corp", "ticket": Self.field("ticket", in: page.bodyText),
                    "return_to": "/account", "current_password": password, "new_password": "\(uid)-new-1", "new_password_again": "\(uid)-new-1",
                ]
                let changed = try await browser.post(client, "/login/change-password", form: form)
                #expect(changed.status == .seeOther && changed.headers[.location] == "/account")
                #expect(changed.headers[values: .setCookie].contains { $0.contains("sesame_session=") })
                let account = try await browser.get(client, "/account")
                #expect(account.status == .ok && account.bodyText.contains(uid))
                // The new password works from now on, the old one not.
                var fresh = Browser()
                #expect(try await fresh.signIn(client, uid, "\(uid)-new-1").status == .seeOther)
                var another = Browser()
                #expect(try await another.signIn(client, uid, password).status == .unauthorized)
                #expect(try await Self.event("directory.password_changed", in: store) != nil)
            }
        }
    }

    @Test func anUnreachableDirectoryIsAClear503AndHealthzStays200() async throws {
        let down = TestLDAP.configuration(name: "down", urls: ["ldaps://127.0.0.1:1"])
        try await Self.withDirectoryServer([TestLDAP.configuration(), down]) { client, store in
            // A local account of the same name does not help: the directory is asked first and is down.
            _ = try await AccountService(users: store, sessions: store, hasher: fastHasher).addUser(username: "nobody-here", email: nil, name: nil, password: "local-password-1")
            var browser = Browser()
            let refused = try await browser.signIn(client, "nobody-here", "local-password-1")
            #expect(refused.status == .serviceUnavailable && refused.bodyText.contains("The directory cannot be reached right now."))

            var health = try await client.execute(uri: "/healthz", method: .get)
            for _ in 0..<50 where !health.bodyText.contains("directories") {
                try await Task.sleep(for: .milliseconds(100))
                health = try await client.execute(uri: "/healthz", method: .get)
            }
            #expect(health.status == .ok)
            #expect(health.bodyText == #"{"directories":{"corp":"ok","down":"unreachable"},"status":"ok","store":"ok"}"#)
        }
    }

    /// The first event of a kind, once the audit trail's background flush has written it.
    static func event(_ type: String, in store: SQLStore) async throws -> AuditEvent? {
        for _ in 0..<100 {
            var query = AuditQuery(limit: 1000)
            query.type = type
            if let found = try await store.auditEvents(query).first?.event { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    static func field(_ name: String, in html: String) -> String {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
