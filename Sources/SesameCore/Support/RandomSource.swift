import SesameJOSE

/// The source of secret random bytes (salts, session ids, keys), injected so tests can be exact.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// Cryptographically secure randomness from the operating system (getrandom on Linux).
public struct SystemRandom: RandomSource {
    public init() {}

    /// Eight bytes per draw from the system's generator (one `getrandom` call each), not one.
    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var output: [UInt8] = []
        output.reserveCapacity(count + 7)
        while output.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { output.append(contentsOf: $0) }
        }
        output.removeLast(output.count - count)
        return output
    }
}

extension RandomSource {
    /// A URL-safe token carrying `byteCount` random bytes.
    public func token(byteCount: Int = 32) -> String {
        Base64URL.encode(bytes(byteCount))
    }
}
