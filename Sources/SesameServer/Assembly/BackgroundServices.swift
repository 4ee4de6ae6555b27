import Foundation
import Logging
import SesameCore
import SesameSQL
import ServiceLifecycle

/// Keeps the store tidy while the server runs and closes it after the server has drained, on
/// SIGTERM or SIGINT.
struct StoreService: Service {
    let store: SQLStore
    let sessions: SessionService
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sessions.purgeExpired()
                } catch {
                    logger.warning("could not purge expired sessions", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(600))
            }
        }
        try await store.close()
        logger.info("store closed")
    }
}

/// Flushes the audit trail every few milliseconds (and once more at shutdown, before the store
/// closes), reloads signing keys every `keyRefresh` so a rotation by `sesame keys rotate` or by
/// another instance is picked up, purges expired codes and tokens every minute, and hands freed
/// memory back to the system every 10 seconds.
struct BackgroundWork: Service {
    let store: SQLStore
    let audit: AuditTrail
    let ring: SigningKeyRing
    let keys: KeySetHolder
    let retention: TimeInterval
    let keyRefresh: TimeInterval
    let clock: any WallClock
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastKeyLoad = ContinuousClock.now
            var lastPurge = ContinuousClock.now
            var lastTrim = ContinuousClock.now
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(5))
                do {
                    try await audit.flush()
                    if ContinuousClock.now - lastKeyLoad >= .seconds(keyRefresh) {
                        lastKeyLoad = ContinuousClock.now
                        keys.replace(with: try await ring.load(publishFor: retention))
                    }
                    if ContinuousClock.now - lastPurge >= .seconds(60) {
                        lastPurge = ContinuousClock.now
                        try await store.purgeExpiredGrants(before: clock.now().addingTimeInterval(-60))
                        // Counts are forgotten after a day at most (LockoutPolicy.forgetAfter).
                        try await store.purgeFailures(before: clock.now().addingTimeInterval(-LockoutPolicy.account.forgetAfter))
                    }
                    if ContinuousClock.now - lastTrim >= .seconds(10) {
                        lastTrim = ContinuousClock.now
                        ServerProcess.releaseFreeMemory()
                    }
                } catch is CancellationError {
                    break  // shutting down; the final flush below writes what is queued
                } catch {
                    logger.warning("background work failed", metadata: ["error": "\(error)"])
                }
            }
        }
        // The server has drained by now (services stop in reverse order): write what is queued.
        do {
            let written = try await audit.flush()
            if written > 0 { logger.info("audit events written at shutdown", metadata: ["count": "\(written)"]) }
        } catch {
            logger.error("audit events could not be written at shutdown", metadata: ["error": "\(error)"])
        }
    }
}
