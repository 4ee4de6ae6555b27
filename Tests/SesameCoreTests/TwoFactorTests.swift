import Foundation
import Testing

@testable import SesameCore

@Suite struct OneTimePasswordTests {
    /// RFC 4226 Appendix D: secret "12345678901234567890", counters 0-9.
    @Test func hotpMatchesRFC4226() {
        let otp = OneTimePassword(secret: Array("12345678901234567890".utf8))
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        #expect((0..<10).map { otp.hotp(counter: UInt64($0)) } == expected)
    }

    /// RFC 6238 Appendix B, 8 digits, SHA-1, SHA-256 and SHA-512 with their seeds.
    @Test(arguments: [
        (59.0, "94287082", "46119246", "90693936"),
        (1111111109.0, "07081804", "68084774", "25091201"),
        (1111111111.0, "14050471", "67062674", "99943326"),
        (1234567890.0, "89005924", "91819424", "93441116"),
        (2000000000.0, "69279037", "90698825", "38618901"),
        (20000000000.0, "65353130", "77737706", "47863826"),
    ])
    func totpMatchesRFC6238(time: Double, sha1: String, sha256: String, sha512: String) {
        let at = Date(timeIntervalSince1970: time)
        let seed = "12345678901234567890"
        #expect(OneTimePassword(secret: Array(seed.utf8), digits: 8, algorithm: .sha1).totp(at: at) == sha1)
        #expect(OneTimePassword(secret: Array((seed + "123456789012").utf8), digits: 8, algorithm: .sha256).totp(at: at) == sha256)
        #expect(OneTimePassword(secret: Array((seed + seed + seed + "1234").utf8), digits: 8, algorithm: .sha512).totp(at: at) == sha512)
    }

    @Test func windowIsOneStepEitherSideAndUsedStepsAreRefused() {
        let otp = OneTimePassword(secret: Array(repeating: 7, count: 20))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let step = otp.step(at: now)
        #expect(otp.matchingStep(for: otp.hotp(counter: step), at: now, after: nil) == step)
        #expect(otp.matchingStep(for: otp.hotp(counter: step - 1), at: now, after: nil) == step - 1)
        #expect(otp.matchingStep(for: otp.hotp(counter: step + 1), at: now, after: nil) == step + 1)
        #expect(otp.matchingStep(for: otp.hotp(counter: step - 2), at: now, after: nil) == nil)
        #expect(otp.matchingStep(for: otp.hotp(counter: step), at: now, after: step) == nil, "replay")
        #expect(otp.matchingStep(for: otp.hotp(counter: step - 1), at: now, after: step - 1) == nil)
        #expect(otp.matchingStep(for: "12345", at: now, after: nil) == nil)
        #expect(otp.matchingStep(for: "abcdef", at: now, after: nil) == nil)
    }

    @Test func base32RoundTripsAndProvisioningURIHasTheParameters() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")  // RFC 4648 §10
        #expect(Base32.decode("mzxw 6ytb oi======") == Array("foobar".utf8))
        #expect(Base32.decode("M1") == nil)
        let uri = OneTimePassword(secret: Array("foobar".utf8)).provisioningURI(issuer: "Sesame", account: "alice")
        #expect(uri == "otpauth://totp/Sesame:alice?secret=MZXW6YTBOI&issuer=Sesame&algorithm=SHA1&digits=6&period=30")
    }
}

@Suite struct QRCodeTests {
    /// Reed-Solomon: the 26 codewords of the "01234567" version 1-M example in ISO/IEC 18004
    /// Annex I: data 10 20 0C 56 61 80 EC 11 EC 11 EC 11 EC 11 EC 11 gives the 10 EC codewords below.
    @Test func reedSolomonMatchesTheStandardsExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(of: data, degree: 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func versionsGrowWithTheText() throws {
        #expect(try QRCode(text: "hello").version == 1)
        #expect(try QRCode(text: String(repeating: "x", count: 84)).version == 5)
        #expect(try QRCode(text: String(repeating: "x", count: 85)).version == 6)
        #expect(try QRCode(text: String(repeating: "x", count: 300)).version == 13)
        #expect(throws: QRCode.EncodingError.self) { try QRCode(text: String(repeating: "x", count: 500)) }
    }
}
