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

/// Writes the audit trail a few milliseconds after events arrive (and once more at shutdown, before
/// the store closes), reloads signing keys every `keyRefresh` so a rotation by `sesame keys rotate`
/// or by another instance is picked up, purges expired codes and tokens every minute, and hands
/// freed memory back to the system every 10 seconds. Nothing runs between those times: an idle
/// server sleeps (it used to look at the audit queue every 5 ms, 1,300 context switches a second).
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
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await writeAudit() }
                group.addTask { await upkeep() }
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

    /// One transaction takes every event that arrives in the 5 ms after the first (group commit).
    /// A failed write keeps the events queued and is tried again a second later.
    private func writeAudit() async {
        for await _ in audit.arrivals {
            var pause = Duration.milliseconds(5)
            while true {
                do { try await Task.sleep(for: pause) } catch { return }
                do {
                    try await audit.flush()
                    break
                } catch {
                    logger.warning("audit events could not be written; trying again", metadata: ["error": "\(error)"])
                    pause = .seconds(1)
                }
            }
        }
    }

    private enum Job { case keys, purge, trim }

    private func upkeep() async {
        var jobs = PeriodicJobs<Job>([.keys: .seconds(keyRefresh), .purge: .seconds(60), .trim: .seconds(10)])
        while true {
            guard let due = try? await jobs.nextDue() else { return }  // cancelled: shutting down
            do {
                if due.contains(.keys) { keys.replace(with: try await ring.load(publishFor: retention)) }
                if due.contains(.purge) {
                    try await store.purgeExpiredGrants(before: clock.now().addingTimeInterval(-60))
                    // Counts are forgotten after a day at most (LockoutPolicy.forgetAfter).
                    _ = try await store.purgeFailures(before: clock.now().addingTimeInterval(-LockoutPolicy.account.forgetAfter))
                }
                if due.contains(.trim) { ServerProcess.releaseFreeMemory() }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("background work failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
