import Foundation
import Logging
import SesameCore
import ServiceLifecycle

/// Beside the server: re-reads directory configurations every `refresh` (so `sesame directory`
/// changes reach a running server), syncs every enabled directory every `check` (0: never), so a
/// person disabled or removed in the directory is disabled here and loses sessions and refresh
/// tokens, and closes every LDAP connection at shutdown.
struct DirectoryBackground: Service {
    let runtime: DirectoryRuntime
    let refresh: TimeInterval
    let check: TimeInterval
    let logger: Logger

    private enum Job { case refresh, check }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            // Asleep until the next of the two is due (it used to look every 250 ms).
            var jobs = PeriodicJobs<Job>(check > 0 ? [.refresh: .seconds(refresh), .check: .seconds(check)] : [.refresh: .seconds(refresh)])
            while !Task.isCancelled {
                let due = try await jobs.nextDue()
                if due.contains(.refresh) {
                    do {
                        try await runtime.refresh()
                    } catch {
                        logger.warning("could not re-read directory configurations", metadata: ["error": "\(error)"])
                    }
                }
                if due.contains(.check) { await syncAll() }
            }
        }
        await runtime.gateways.shutdown()
    }

    private func syncAll() async {
        for configuration in runtime.configurations where configuration.enabled {
            do {
                let report = try await runtime.sync(configuration.name, actor: .server)
                logger.info("directory checked", metadata: [
                    "directory": "\(configuration.name)", "created": "\(report.created)", "updated": "\(report.updated)",
                    "disabled": "\(report.disabled)", "unchanged": "\(report.unchanged)",
                ])
            } catch is CancellationError {
                return
            } catch {
                // A directory that cannot be read to the end disables nobody (a half listing proves no absence).
                logger.warning("directory check failed", metadata: ["directory": "\(configuration.name)", "error": "\(error)"])
            }
        }
    }
}
