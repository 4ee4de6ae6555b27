import Foundation
import HTTPTypes
import HummingbirdTesting
import SesameCore
import SesameSQL
import Testing

/// POST /login through a configured authenticator list, in-process: the test-only authenticator
/// signs in a person without a local password, and the sign-in route does not know the difference.
@Suite struct PrimaryAuthenticatorRoutesTests {
    static let authenticators: @Sendable (SQLStore) -> [any PrimaryAuthenticator] = { store in
        [LocalPasswordAuthenticator(users: store, hasher: fastHasher), TestPasswordAuthenticator(login: "nora", password: "outside-the-store")]
    }

    @Test func aPersonWithoutALocalPasswordSignsInThroughTheNextAuthenticator() async throws {
        try await withServer(authenticators: Self.authenticators) { client, store in
            try await AccountService(users: store, sessions: store, hasher: fastHasher).addUser(username: "nora", email: nil, name: nil, password: nil)
            var browser = Browser()
            let wrong = try await browser.signIn(client, "nora", "outside-the-storE")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.bodyText.contains("Incorrect username or password."))

            let signedIn = try await browser.signIn(client, "nora", "outside-the-store")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/account")
            let account = try await browser.get(client, "/account")
            #expect(account.bodyText.contains(#"<dd id="username">nora</dd>"#))

            // alice keeps her local password, which alone decides for her.
            var alice = Browser()
            #expect(try await alice.signIn(client, "alice", "right-password").status == .seeOther)
            var other = Browser()
            #expect(try await other.signIn(client, "alice", "outside-the-store").status == .unauthorized)
        }
    }

    /// With only the local password, the same person cannot sign in with any password.
    @Test func withoutAnotherAuthenticatorThatPersonIsRefused() async throws {
        try await withServer { client, store in
            try await AccountService(users: store, sessions: store, hasher: fastHasher).addUser(username: "nora", email: nil, name: nil, password: nil)
            for password in ["", "outside-the-store", "right-password"] {
                var browser = Browser()
                #expect(try await browser.signIn(client, "nora", password).status == .unauthorized)
            }
        }
    }
}
