import Crypto
import Foundation

public enum OTPAlgorithm: String, Sendable {
    case sha1 = "SHA1", sha256 = "SHA256", sha512 = "SHA512"
}

/// HOTP (RFC 4226) and TOTP (RFC 6238).
public struct OneTimePassword: Sendable {
    public let secret: [UInt8]
    public let digits: Int
    public let algorithm: OTPAlgorithm
    public let period: TimeInterval

    public init(secret: [UInt8], digits: Int = 6, algorithm: OTPAlgorithm = .sha1, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.algorithm = algorithm
        self.period = period
    }

    /// RFC 4226 §5.3: HMAC over the big-endian counter, dynamic truncation, modulo 10^digits.
    public func hotp(counter: UInt64) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] = switch algorithm {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The TOTP time step of an instant (RFC 6238 §4.2, T0 = 0).
    public func step(at date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970) / period)
    }

    public func totp(at date: Date) -> String {
        hotp(counter: step(at: date))
    }

    /// The step whose code matches, looking one step either side of now for clock drift, and only
    /// at steps after `lastUsedStep`: a code used once is refused (replay).
    public func matchingStep(for code: String, at date: Date, after lastUsedStep: UInt64?, window: UInt64 = 1) -> UInt64? {
        let code = code.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        for candidate in (now >= window ? now - window : 0)...(now + window) {
            if let last = lastUsedStep, candidate <= last { continue }
            if ConstantTime.equals(hotp(counter: candidate), code) { return candidate }
        }
        return nil
    }

    /// The `otpauth://` URI that authenticator apps read from a QR code.
    public func provisioningURI(issuer: String, account: String) -> String {
        func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
        return "otpauth://totp/\(encode(issuer)):\(encode(account))?secret=\(Base32.encode(secret))&issuer=\(encode(issuer))"
            + "&algorithm=\(algorithm.rawValue)&digits=\(digits)&period=\(Int(period))"
    }
}
