import SesameJOSE

/// The source of secret random bytes (salts, session ids, keys), injected so tests can be exact.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// Cryptographically secure randomness from the operating system (getrandom on Linux).
public struct SystemRandom: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

extension RandomSource {
    /// A URL-safe token carrying `byteCount` random bytes.
    public func token(byteCount: Int = 32) -> String {
        Base64URL.encode(bytes(byteCount))
    }
}
