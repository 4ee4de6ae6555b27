import Crypto

/// The secret kept in the data directory's key file. Each use gets its own key derived with
/// HKDF, so a key used to encrypt never doubles as a key used to sign.
public struct DataKey: Sendable {
    public static let byteCount = 32
    private let material: SymmetricKey

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        material = SymmetricKey(data: bytes)
    }

    public func derived(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Array("sesame/\(purpose)".utf8), outputByteCount: 32)
    }

    /// Seals signing keys and other key material at rest.
    public var sealer: KeySealer { KeySealer(key: derived(for: "key-sealing")) }
    /// Names this key without revealing it, so an export can tell whether it was sealed with the
    /// same key as the database it is loaded into.
    public var id: String {
        derived(for: "key-id").withUnsafeBytes { Array($0.prefix(8)) }.hexString
    }
    /// Signs CSRF tokens.
    public var csrf: CSRFTokens { CSRFTokens(key: derived(for: "csrf")) }
}
