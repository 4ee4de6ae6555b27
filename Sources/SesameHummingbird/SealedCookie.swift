import Crypto
import Foundation
import SesameJOSE

/// Small values kept in the browser, encrypted and authenticated (AES-GCM) with the app's key,
/// with an expiry inside: the app keeps no session store.
struct SealedCookie: Sendable {
    let key: SymmetricKey

    init(secret: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Array("sesame-app-cookie".utf8), outputByteCount: 32)
    }

    func seal<T: Codable>(_ value: T, name: String, expires: Date) throws -> String {
        let payload = try JSONEncoder().encode(Envelope(value: value, expires: expires.timeIntervalSince1970))
        let box = try AES.GCM.seal(payload, using: key, authenticating: Array(name.utf8))
        return Base64URL.encode(Array(box.combined ?? Data()))
    }

    func open<T: Codable>(_ text: String?, as: T.Type, name: String, now: Date = Date()) -> T? {
        guard let text, let bytes = Base64URL.decode(text), let box = try? AES.GCM.SealedBox(combined: bytes),
            let payload = try? AES.GCM.open(box, using: key, authenticating: Array(name.utf8)),
            let envelope = try? JSONDecoder().decode(Envelope<T>.self, from: payload), envelope.expires > now.timeIntervalSince1970
        else { return nil }
        return envelope.value
    }

    struct Envelope<T: Codable>: Codable {
        var value: T
        var expires: TimeInterval
    }
}
