import CryptoExtras
import Foundation

/// scrypt cost parameters. The default (N = 2^14, r = 8, p = 2: 16 MiB, two passes) costs about
/// 45 ms on one core of the reference machine, the target being about 50 ms; see
/// Benchmarks/README.md. It is one of OWASP's equivalent scrypt settings, trading memory for
/// passes so that two sign-ins at once stay well inside a small server's memory.
public struct ScryptParameters: Sendable, Equatable {
    public var logN: Int
    public var r: Int
    public var p: Int

    public init(logN: Int = 14, r: Int = 8, p: Int = 2) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    public static let `default` = ScryptParameters()

    /// Bounds for parameters read from stored hashes, so an imported hash cannot make one
    /// sign-in take minutes or gigabytes.
    var isReasonable: Bool { (1...20).contains(logN) && (1...32).contains(r) && (1...16).contains(p) }
}

/// The scrypt hash in PHC string form: `$scrypt$ln=14,r=8,p=2$SALT$HASH`, salt and hash in
/// base64 without padding.
struct ScryptHash: Equatable {
    var parameters: ScryptParameters
    var salt: [UInt8]
    var hash: [UInt8]

    static let outputLength = 32

    static func derive(_ password: String, salt: [UInt8], parameters: ScryptParameters) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: outputLength,
            rounds: 1 << parameters.logN, blockSize: parameters.r, parallelism: parameters.p
        )
        return key.withUnsafeBytes { Array($0) }
    }

    var encoded: String {
        "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(Self.b64(salt))$\(Self.b64(hash))"
    }

    init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    init?(parsing text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let number = Int(kv[1]) else { return nil }
            values[String(kv[0])] = number
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"],
            let salt = Self.unb64(fields[3]), let hash = Self.unb64(fields[4]), !hash.isEmpty
        else { return nil }
        self.init(parameters: ScryptParameters(logN: logN, r: r, p: p), salt: salt, hash: hash)
        guard parameters.isReasonable else { return nil }
    }

    func matches(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, parameters: parameters).prefix(hash.count) else {
            return false
        }
        return hash.count == Self.outputLength && ConstantTime.equals(derived, hash)
    }

    private static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// Accepts standard base64 and passlib's adapted alphabet ('.' for '+'), padded or not.
    private static func unb64(_ text: some StringProtocol) -> [UInt8]? {
        AdaptedBase64.decode(String(text))
    }
}
