import Foundation
import Testing

@testable import SesameCore

/// Hashes made by Python's passlib and bcrypt (1.7.4 / 4.0.1) for "correct horse battery staple".
/// The import end-to-end test makes fresh ones with the same libraries at test time.
enum PythonMadeHashes {
    static let password = "correct horse battery staple"
    static let scrypt = "$scrypt$ln=10,r=8,p=1$lzLGGOMco1QKwbh37p3Tug$PfysWf94tJ0balMnrDJunDH1gm6/0KZ9M67qXrfRX8E"
    static let bcrypt2b = "$2b$05$WCoh2.1F4gChWx9GBy4I5.vz1bfNm1XrhG5EQsYE8C7fkvsEoGI.K"
    static let bcrypt2y = "$2y$05$KRIzP7RubIDjOpkysx8ECO2AbwJbAqqEmmlGZyw02LA/XUITjHKH6"
    static let bcrypt2a = "$2a$05$bO7EDxC0RxGyIWCycTBbv.9FIhWs82V4/vb/.2MW4Za61Ofbcu2fa"
    static let passlibPBKDF2 = "$pbkdf2-sha256$1000$PIcQgvAeI8RYC.F8b805Zw$9BWS7tfHMTI/9CkMXD3ABdk4XHT.uPZ4278Kg6e.tvI"
    static let djangoPBKDF2 = "pbkdf2_sha256$1000$gqEUH6ppCuhd$3i4Gf9mik0aAt+eMbzAGkYaluIL0q8t6g8arE9+kK5s="

    static let all: [(String, PasswordScheme)] = [
        (scrypt, .scrypt), (bcrypt2b, .bcrypt), (bcrypt2y, .bcrypt), (bcrypt2a, .bcrypt),
        (passlibPBKDF2, .pbkdf2SHA256), (djangoPBKDF2, .djangoPBKDF2SHA256),
    ]
}

/// Small scrypt parameters keep the suite fast; the cost is a parameter, not the algorithm.
let fastHasher = PasswordHasher(parameters: ScryptParameters(logN: 10, r: 8, p: 1))

@Suite struct PasswordHasherTests {
    @Test(arguments: PythonMadeHashes.all)
    func verifiesHashesMadeByPythonLibraries(hash: String, scheme: PasswordScheme) {
        #expect(PasswordScheme(hash: hash) == scheme)
        #expect(fastHasher.verify(PythonMadeHashes.password, against: hash))
        #expect(!fastHasher.verify(PythonMadeHashes.password + "!", against: hash))
        #expect(!fastHasher.verify("", against: hash))
        #expect(PasswordHasher.isSupportedHash(hash))
    }

    @Test func onlyCurrentScryptNeedsNoRehash() throws {
        let fresh = try fastHasher.hash("pw")
        #expect(!fastHasher.needsRehash(fresh))
        #expect(PasswordHasher().needsRehash(fresh), "other parameters")
        for (hash, scheme) in PythonMadeHashes.all where scheme != .scrypt {
            #expect(fastHasher.needsRehash(hash))
        }
    }

    @Test func newHashesArePHCScryptWithRecordedParametersAndFreshSalt() throws {
        let first = try PasswordHasher().hash("s3cret")
        let second = try PasswordHasher().hash("s3cret")
        #expect(first.hasPrefix("$scrypt$ln=14,r=8,p=2$"))
        #expect(first != second)
        #expect(PasswordHasher().verify("s3cret", against: first))
        #expect(!PasswordHasher().verify("s3cret ", against: first))
    }

    /// RFC 7914 §12, the third vector (N = 1024, r = 8, p = 16), first 32 bytes.
    @Test func scryptMatchesRFC7914Vector() throws {
        let derived = try ScryptHash.derive("password", salt: Array("NaCl".utf8), parameters: ScryptParameters(logN: 10, r: 8, p: 16))
        #expect(derived.hexString == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162")
    }

    /// RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, 64 bytes, written in
    /// Django's form.
    @Test func pbkdf2MatchesRFC7914Vector() {
        let vector: [UInt8] = [
            0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
            0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
            0x49, 0xca, 0x9c, 0xcc, 0xf1, 0x79, 0xb6, 0x45, 0x99, 0x16, 0x64, 0xb3, 0x9d, 0x77, 0xef, 0x31,
            0x7c, 0x71, 0xb8, 0x45, 0xb1, 0xe3, 0x0b, 0xd5, 0x09, 0x11, 0x20, 0x41, 0xd3, 0xa1, 0x97, 0x83,
        ]
        let stored = "pbkdf2_sha256$1$salt$" + Data(vector).base64EncodedString()
        #expect(fastHasher.verify("passwd", against: stored))
        #expect(!fastHasher.verify("passwe", against: stored))
    }

    @Test(arguments: [
        "", "plain", "$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaA",  // cost out of bounds
        "$scrypt$ln=10,r=8$c2FsdA$aGFzaA", "$pbkdf2-sha256$99999999$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
        "pbkdf2_sha256$abc$salt$aGFzaA==", "$2b$05$short", "$2x$05$WCoh2.1F4gChWx9GBy4I5.vz1bfNm1XrhG5EQsYE8C7fkvsEoGI.K",
    ])
    func refusesMalformedOrAbusiveHashes(hash: String) {
        #expect(!PasswordHasher.isSupportedHash(hash))
        #expect(!fastHasher.verify("anything", against: hash))
    }
}
