import Foundation
import Testing
import SesameCore
import SesameSQL
import SesameSQLite

/// Two-step verification on the real store with a hand-moved clock.
@Suite struct TwoFactorServiceTests {
    struct Fixture {
        let store: SQLStore
        let clock = ManualClock()
        let user: User
        var service: TwoFactorService {
            TwoFactorService(store: store, throttle: store, dataKey: DataKey(bytes: Array(repeating: 2, count: 32))!, issuer: "Sesame", clock: clock)
        }

        static func with(_ body: (Fixture) async throws -> Void) async throws {
            try await withStore { store, _ in
                let user = try await AccountService(users: store, sessions: store, hasher: fastHasher)
                    .addUser(username: "tess", email: nil, name: nil, password: "tess-password")
                try await body(Fixture(store: store, user: user))
            }
        }

        /// Enrols and returns the authenticator (as the phone would hold it) and the recovery codes.
        func enrol() async throws -> (OneTimePassword, [String]) {
            let enrolment = try await service.beginEnrolment(for: user)
            let otp = OneTimePassword(secret: Base32.decode(enrolment.secret)!)
            #expect(try await service.confirmEnrolment(for: user, code: "000000") == nil || false)
            let codes = try #require(try await service.confirmEnrolment(for: user, code: otp.totp(at: clock.now())))
            return (otp, codes)
        }
    }

    @Test func enrolmentNeedsACurrentCodeAndTheSecretIsSealed() async throws {
        try await Fixture.with { f in
            let enrolment = try await f.service.beginEnrolment(for: f.user)
            #expect(Base32.decode(enrolment.secret)?.count == 20, "160-bit secret")
            #expect(enrolment.uri.hasPrefix("otpauth://totp/Sesame:tess?secret=\(enrolment.secret)&issuer=Sesame&algorithm=SHA1&digits=6&period=30"))
            #expect(enrolment.qrSVG.hasPrefix("<svg"))
            #expect(try await !f.service.isEnabled(for: f.user))
            let stored = try #require(try await f.store.twoFactor(userID: f.user.id))
            let secret = Base32.decode(enrolment.secret)!
            #expect(!(stored.pendingSealedSecret ?? []).contains(subsequence: secret), "never stored in clear")
            let otp = OneTimePassword(secret: secret)
            let codes = try #require(try await f.service.confirmEnrolment(for: f.user, code: otp.totp(at: f.clock.now())))
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(try await f.service.isEnabled(for: f.user))
            #expect(try await f.service.recoveryCodesLeft(for: f.user) == 10)
        }
    }

    @Test func codesWorkOnceAndTheEnrolmentCodeCannotBeReplayed() async throws {
        try await Fixture.with { f in
            let (otp, _) = try await f.enrol()
            // The code typed at enrolment is spent.
            await #expect(throws: SignInError.invalidCredentials) { _ = try await f.service.verify(otp.totp(at: f.clock.now()), for: f.user) }
            f.clock.advance(30)
            let code = otp.totp(at: f.clock.now())
            #expect(try await f.service.verify(code, for: f.user) == .totp)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await f.service.verify(code, for: f.user) }
            f.clock.advance(30)
            // One step of drift either way is accepted, but never a step at or before the last used.
            #expect(try await f.service.verify(otp.hotp(counter: otp.step(at: f.clock.now()) + 1), for: f.user) == .totp)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await f.service.verify(otp.totp(at: f.clock.now()), for: f.user) }
        }
    }

    @Test func recoveryCodesWorkOnceAndRegeneratingVoidsTheOldOnes() async throws {
        try await Fixture.with { f in
            let (_, codes) = try await f.enrol()
            #expect(try await f.service.verify(codes[0].uppercased(), for: f.user) == .recoveryCode)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await f.service.verify(codes[0], for: f.user) }
            #expect(try await f.service.recoveryCodesLeft(for: f.user) == 9)
            let fresh = try await f.service.regenerateRecoveryCodes(for: f.user)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await f.service.verify(codes[1], for: f.user) }
            #expect(try await f.service.verify(fresh[3], for: f.user) == .recoveryCode)
        }
    }

    @Test func failuresCountTowardTheAccountLockout() async throws {
        try await Fixture.with { f in
            let (otp, _) = try await f.enrol()
            for _ in 1...5 { await #expect(throws: SignInError.invalidCredentials) { _ = try await f.service.verify("999999", for: f.user) } }
            f.clock.advance(0.5)
            let locked = f.clock.now()
            await #expect(performing: { _ = try await f.service.verify(otp.hotp(counter: otp.step(at: locked) + 1), for: f.user) },
                          throws: { ($0 as? SignInError)?.code == .throttled })
        }
    }

    @Test func requiredForTheUserForARoleOrByTheClient() async throws {
        try await Fixture.with { f in
            #expect(try await !f.service.isRequired(for: f.user))
            try await f.store.setTwoFactorRequired(userID: f.user.id, true)
            #expect(try await f.service.isRequired(for: f.user))
            try await f.store.setTwoFactorRequired(userID: f.user.id, false)
            var staff = f.user
            staff.roles = ["admin"]
            try await f.store.setTwoFactorRequired(role: "admin", true)
            #expect(try await f.service.isRequired(for: staff))
            #expect(try await !f.service.isRequired(for: f.user))
            var client = Client(id: "c", name: "c", secretDigest: nil, redirectURIs: [], grantTypes: [], scopes: [], tokenEndpointAuthMethod: .none, createdAt: Date())
            client.requireTwoFactor = true
            #expect(try await f.service.isRequired(for: f.user, client: client))
        }
    }

    @Test func resetRemovesTheAuthenticatorAndCodes() async throws {
        try await Fixture.with { f in
            _ = try await f.enrol()
            try await f.service.reset(for: f.user)
            #expect(try await !f.service.isEnabled(for: f.user))
            #expect(try await f.service.recoveryCodesLeft(for: f.user) == 0)
        }
    }
}
