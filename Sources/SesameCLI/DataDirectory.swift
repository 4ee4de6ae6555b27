import Foundation
import SesameCore

/// The data directory: `sesame.db` (SQLite) and `data.key`, the 32-byte secret that seals key
/// material at rest. Both are created on first use; everything in it is for its owner only.
struct DataDirectory {
    let path: String

    var databasePath: String { path + "/sesame.db" }
    var keyFilePath: String { path + "/data.key" }

    /// Creates the directory (0700) when missing, and refuses one that others may enter, read or
    /// write. From here on files this process creates (`sesame.db`, its `-wal` and `-shm`, exports)
    /// are 0600: the umask is set for the whole process, as nothing Sesame writes is for others.
    func create() throws {
        _ = umask(0o077)
        let files = FileManager.default
        if files.fileExists(atPath: path) {
            let mode = ((try? files.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
            guard mode & 0o077 == 0 else {
                throw CLIError("data directory '\(path)' is open to others (mode \(String(mode, radix: 8))); run: chmod 700 \(path)")
            }
            // Made before the umask was set, by an older Sesame: closed to others now.
            for file in [databasePath, databasePath + "-wal", databasePath + "-shm"] where files.fileExists(atPath: file) {
                try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
            return
        }
        do {
            try files.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError("cannot create data directory '\(path)': \(error.localizedDescription)")
        }
    }

    /// Creates the key file (0600) when missing and returns the data key.
    func prepareKey() throws -> DataKey {
        try create()
        if !FileManager.default.fileExists(atPath: keyFilePath) {
            let bytes = SystemRandom().bytes(DataKey.byteCount)
            guard FileManager.default.createFile(atPath: keyFilePath, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw CLIError("cannot write key file '\(keyFilePath)'")
            }
        }
        return try DataKeySource.read(file: keyFilePath)
    }
}

/// Where the data key comes from: `SESAME_DATA_KEY` (base64), a key file given by path, or the
/// data directory's `data.key`, made on first use.
enum DataKeySource {
    static func load(_ settings: Settings, directory: DataDirectory) throws -> DataKey {
        if let encoded = settings.dataKey {
            guard let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespacesAndNewlines)), let key = DataKey(bytes: [UInt8](data)) else {
                throw CLIError("SESAME_DATA_KEY must be \(DataKey.byteCount) bytes in base64 (openssl rand -base64 32)")
            }
            return key
        }
        if let file = settings.dataKeyFile { return try read(file: file) }
        return try directory.prepareKey()
    }

    /// A key file holds the 32 bytes themselves or their base64 text; only its owner may read it.
    static func read(file: String) throws -> DataKey {
        let files = FileManager.default
        guard let data = files.contents(atPath: file) else { throw CLIError("cannot read key file '\(file)'") }
        let attributes = try files.attributesOfItem(atPath: file)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw CLIError("key file '\(file)' is readable by others (mode \(String(mode, radix: 8))); run: chmod 600 \(file)")
        }
        if let key = DataKey(bytes: [UInt8](data)) { return key }
        if let text = String(data: data, encoding: .utf8), let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = DataKey(bytes: [UInt8](decoded))
        {
            return key
        }
        throw CLIError("key file '\(file)' is not a \(DataKey.byteCount)-byte key (raw, or base64 from openssl rand -base64 32)")
    }
}
