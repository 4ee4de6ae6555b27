import Foundation
import Logging
import SesameCore
import SesameSQL
import SesameSQLite
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: WallClock {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A new temporary directory for `body`, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sesame-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

var testLogger: Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    return logger
}

/// Opens a fresh SQLite store in a new temporary directory, runs `body`, then closes it.
func withStore<T>(_ body: (SQLStore, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let store = try await SQLiteStore.open(path: directory + "/sesame.db", logger: testLogger)
        do {
            let result = try await body(store, directory)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

let fastHasher = PasswordHasher(parameters: ScryptParameters(logN: 10, r: 8, p: 1))

func makeUser(_ username: String, email: String? = nil, hash: String = "x", at date: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> User {
    User(id: UUID().uuidString.lowercased(), username: username, email: email, name: nil, passwordHash: hash, createdAt: date, updatedAt: date)
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}
