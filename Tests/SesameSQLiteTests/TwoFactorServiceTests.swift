import Crypto
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

    /// Re-typing the password used to reset the count that wrong codes raised, so a guesser could
    /// go on for ever. Now codes count on their own: password, wrong codes, password again, wrong
    /// codes... locks after five, and every wrong code (recovery codes too) is in the audit log.
    @Test func aRightPasswordDoesNotBuyMoreCodeGuesses() async throws {
        try await Fixture.with { f in
            let (otp, _) = try await f.enrol()
            let audit = AuditTrail(store: f.store, clock: f.clock)
            var service = f.service
            service.audit = audit
            var signIn = SignInService(users: f.store, throttle: f.store, hasher: fastHasher, clock: f.clock)
            signIn.audit = audit
            for round in 0..<5 {
                _ = try await signIn.signIn(login: "tess", password: "tess-password", clientAddress: "192.0.2.7")
                let guess = round == 4 ? "aaaaa-bbbbb" : "999999"
                await #expect(throws: SignInError.invalidCredentials) { _ = try await service.verify(guess, for: f.user, clientAddress: "192.0.2.7") }
            }
            let lockedAt = f.clock.now()
            #expect(try await service.lockedUntil(for: f.user) == lockedAt.addingTimeInterval(1))
            // Locked: the right code is refused, and so is the password that would start a new try.
            let right = otp.hotp(counter: otp.step(at: lockedAt) + 1)
            await #expect(throws: SignInError.throttled(until: lockedAt.addingTimeInterval(1))) { _ = try await service.verify(right, for: f.user) }
            await #expect(throws: SignInError.throttled(until: lockedAt.addingTimeInterval(1))) {
                _ = try await signIn.signIn(login: "tess", password: "tess-password", clientAddress: nil)
            }
            f.clock.advance(1)
            _ = try await signIn.signIn(login: "tess", password: "tess-password", clientAddress: nil)
            await #expect(throws: SignInError.invalidCredentials) { _ = try await service.verify("123456", for: f.user) }
            #expect(try await service.lockedUntil(for: f.user) == f.clock.now().addingTimeInterval(2), "one more guess, then twice the wait")

            try await audit.flush()
            let failed = try await f.store.auditEvents(AuditQuery(type: "two_factor.failed"))
            #expect(failed.count == 6)
            #expect(failed.allSatisfy { $0.event.subject == f.user.id })
            #expect(failed.first?.event.clientAddress == "192.0.2.7")
            #expect(failed.map { $0.event.detail ?? "" }.prefix(5) == [
                "reason=wrong_code failures=1", "reason=wrong_code failures=2", "reason=wrong_code failures=3", "reason=wrong_code failures=4",
                "reason=wrong_recovery_code failures=5",
            ])
            #expect(try await f.store.auditEvents(AuditQuery(type: "two_factor.locked_out")).count >= 2)
        }
    }

    /// 64 guesses at once: each is counted before it is checked, so no more than the limit are.
    @Test func parallelGuessesAreCheckedNoMoreThanTheLimit() async throws {
        try await Fixture.with { f in
            _ = try await f.enrol()
            let audit = AuditTrail(store: f.store, clock: f.clock)
            var configured = f.service
            configured.audit = audit
            let (service, user) = (configured, f.user)
            let outcomes = await withTaskGroup(of: SignInError.Code?.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        do {
                            _ = try await service.verify("00000-\(100_000 + i)", for: user)  // no recovery code has a 0
                            return nil
                        } catch {
                            return (error as? SignInError)?.code
                        }
                    }
                }
                return await group.reduce(into: [SignInError.Code?]()) { $0.append($1) }
            }
            try await audit.flush()
            let checked = try await f.store.auditEvents(AuditQuery(type: "two_factor.failed")).count
            #expect(checked <= LockoutPolicy.secondFactor.threshold)
            #expect(outcomes.filter { $0 == .invalidCredentials }.count == checked)
            #expect(outcomes.filter { $0 == .throttled }.count == 64 - checked)
        }
    }

    /// The recovery_codes table holds HMACs under a key derived from the data key: neither the
    /// codes nor their plain SHA-256 digests, so the database alone does not give them away.
    @Test func recoveryCodesAreStoredAsHMACs() async throws {
        try await Fixture.with { f in
            let (_, codes) = try await f.enrol()
            let rows = try await f.store.database.read { db in
                try await db.query("SELECT digest FROM recovery_codes WHERE user_id = ?", [.text(f.user.id)])
            }
            let stored = Set(rows.compactMap { $0.column("digest")?.string })
            #expect(stored.count == 10)
            let key = DataKey(bytes: Array(repeating: 2, count: 32))!.derived(for: "recovery-codes")
            let expected = Set(codes.map { code in
                let normalised = code.replacingOccurrences(of: "-", with: "")
                return HMAC<SHA256>.authenticationCode(for: Array("\(f.user.id):\(normalised)".utf8), using: key).hexString
            })
            #expect(stored == expected)
            for code in codes {
                #expect(!stored.contains(code) && !stored.contains(code.replacingOccurrences(of: "-", with: "")))
                #expect(!stored.contains(SHA256.hash(data: Array(code.replacingOccurrences(of: "-", with: "").utf8)).hexString))
            }
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
