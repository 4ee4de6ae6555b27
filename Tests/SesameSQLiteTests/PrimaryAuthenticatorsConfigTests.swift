import Foundation
import SesameCore
import SesameSQL
import Testing

/// The `authenticators` setting: names in order, the default, and the test-only one refused
/// outside tests.
@Suite struct PrimaryAuthenticatorsConfigTests {
    let testing = ["SESAME_TESTING": "1", "SESAME_TEST_AUTHENTICATOR_LOGIN": "ann", "SESAME_TEST_AUTHENTICATOR_PASSWORD": "pw"]

    func make(_ names: [String], _ environment: [String: String], _ store: SQLStore) throws -> [String] {
        try PrimaryAuthenticators.make(names, users: store, hasher: fastHasher, work: InlineWork(), environment: environment).map(\.name)
    }

    @Test func namesAreBuiltInTheOrderGiven() async throws {
        try await withStore { store, _ in
            #expect(PrimaryAuthenticators.defaultNames == ["local"])
            let local = try make(["local"], [:], store)
            #expect(local == ["local"])
            let both = try make(["test", "local"], testing, store)
            #expect(both == ["test", "local"])
        }
    }

    @Test func theTestAuthenticatorNeedsSesameTestingAndItsSecret() async throws {
        try await withStore { store, _ in
            var withoutFlag = testing
            withoutFlag["SESAME_TESTING"] = nil
            #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try make(["local", "test"], withoutFlag, store) }
            var wrongFlag = testing
            wrongFlag["SESAME_TESTING"] = "true"
            #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try make(["local", "test"], wrongFlag, store) }
            var noPassword = testing
            noPassword["SESAME_TEST_AUTHENTICATOR_PASSWORD"] = nil
            #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try make(["test"], noPassword, store) }
        }
    }

    @Test func unknownDuplicateOrNoNamesAreRefused() async throws {
        try await withStore { store, _ in
            #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try make(["ldap"], [:], store) }
            #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try make(["local", "local"], [:], store) }
            #expect(throws: PrimaryAuthenticators.ConfigurationError.self) { try make([], [:], store) }
        }
    }
}
