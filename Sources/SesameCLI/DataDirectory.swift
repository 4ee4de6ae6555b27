import Foundation
import SesameCore
import SesameSQL

/// The data directory: `sesame.db` (SQLite) and `data.key`, the 32-byte secret that seals key
/// material at rest. Both are created on first use; the key file is readable by its owner only.
struct DataDirectory {
    let path: String

    var databasePath: String { path + "/sesame.db" }
    var keyFilePath: String { path + "/data.key" }

    /// Creates the directory (0700) and key file (0600) when missing and returns the data key.
    func prepare() throws -> DataKey {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            do {
                try files.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CLIError("cannot create data directory '\(path)': \(error.localizedDescription)")
            }
        }
        if !files.fileExists(atPath: keyFilePath) {
            let bytes = SystemRandom().bytes(DataKey.byteCount)
            guard files.createFile(atPath: keyFilePath, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw CLIError("cannot write key file '\(keyFilePath)'")
            }
        }
        let attributes = try files.attributesOfItem(atPath: keyFilePath)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw CLIError("key file '\(keyFilePath)' is readable by others (mode \(String(mode, radix: 8))); run: chmod 600 \(keyFilePath)")
        }
        guard let data = files.contents(atPath: keyFilePath), let key = DataKey(bytes: [UInt8](data)) else {
            throw CLIError("key file '\(keyFilePath)' is not a \(DataKey.byteCount)-byte key")
        }
        return key
    }
}
