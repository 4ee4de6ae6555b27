import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SesameCore
import SesameModels
import SesameSQL
import SesameSQLite
import SesameServer
import Testing

/// The whole server as `sesame serve` builds it, through `SesameServer.make`, in-process.
@Suite struct SesameApplicationTests {
    struct FixedClock: WallClock {
        let instant: Date
        func now() -> Date { instant }
    }

    static func withStore(_ body: (SQLStore, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sesame-app-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        try await body(try await SQLiteStore.open(path: directory + "/sesame.db", logger: logger), directory)
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    @Test func startsAnswersHealthAndDiscoveryAndStops() async throws {
        try await Self.withStore { store, directory in
            let issuer = "http://127.0.0.1:8183"
            let started = Date(timeIntervalSince1970: 1_800_000_000)
            let sesame = try await SesameServer.make(
                store: store, dataKey: DataKey(bytes: Array(repeating: 1, count: 32))!, clock: FixedClock(instant: started),
                configuration: SesameConfiguration(issuer: URL(string: issuer)!, hasher: fastHasher), logger: Self.logger
            )
            // Started: the served issuer is recorded (the CLI signs logout tokens with it) and keys exist.
            #expect(try await store.servedIssuer() == issuer)
            #expect(!sesame.dependencies.oauth!.keys.current.verificationKeys.isEmpty)
            try await sesame.application().test(.router) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
                let discovery = try await client.execute(uri: "/.well-known/openid-configuration", method: .get)
                #expect(discovery.status == .ok)
                let document = try JSONDecoder().decode(DiscoveryDocument.self, from: Data(discovery.bodyText.utf8))
                #expect(document.issuer == issuer)
                #expect(document.token_endpoint == issuer + "/token")
                let jwks = try await client.execute(uri: "/jwks", method: .get)
                #expect(jwks.status == .ok)
                // Queued, not yet written: the background work's final flush at shutdown writes it.
                await sesame.audit.record(AuditEventKind(rawValue: "test.app-stopping"))
            }
            // Stopped: the store service closed the store, after the final audit flush.
            let reopened = try await SQLiteStore.open(path: directory + "/sesame.db", logger: Self.logger)
            let events = try await reopened.auditEvents(AuditQuery(limit: 10))
            #expect(events.contains { $0.event.type == "test.app-stopping" })
            try await reopened.close()
        }
    }

    @Test func aConfigurationErrorClosesTheStore() async throws {
        try await Self.withStore { store, _ in
            await #expect(throws: (any Error).self) {
                _ = try await SesameServer.make(
                    store: store, dataKey: DataKey(bytes: Array(repeating: 1, count: 32))!,
                    configuration: SesameConfiguration(issuer: URL(string: "http://127.0.0.1:8080")!, authenticators: ["nonsense"], hasher: fastHasher),
                    logger: Self.logger
                )
            }
            await #expect(throws: (any Error).self) { try await store.ping() }
        }
    }
}
