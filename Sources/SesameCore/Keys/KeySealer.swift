import Crypto

/// Encrypts key material at rest with AES-256-GCM under the data key. The associated data binds
/// each sealed blob to what it is (for example a key id), so blobs cannot be swapped.
public struct KeySealer: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
        guard let combined = box.combined else { throw KeyError.sealFailed }
        return Array(combined)
    }

    public func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw KeyError.wrongDataKey
        }
    }
}

public enum KeyError: Error, CustomStringConvertible {
    case sealFailed
    case wrongDataKey
    case unknownAlgorithm(String)

    public var description: String {
        switch self {
        case .sealFailed: "could not encrypt key material"
        case .wrongDataKey: "stored key material cannot be decrypted with this data key (is the key file from another data directory? Every instance sharing a database needs the same data key)"
        case .unknownAlgorithm(let algorithm): "unknown signing algorithm \(algorithm)"
        }
    }
}
