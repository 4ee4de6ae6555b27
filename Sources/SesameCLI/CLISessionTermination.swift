import Foundation
import Logging
import SesameCore
import SesameModels
import SesameSQL
import SesameServer

extension Runtime {
    var casTickets: CASTickets { CASTickets(store: store, users: store, sealer: dataKey.sealer) }

    /// Sessions end here as on the server, with its listeners that need no browser: CAS single
    /// log-out, and back-channel logout signed under the issuer the server recorded at its last
    /// start (the `iss` its apps check; the CLI's own issuer setting may not be the server's).
    func sessionTermination(logger: Logger = Runtime.quietLogger) async throws -> CLISessionTermination {
        let served = try await store.servedIssuer()
        var backChannel: SesameServer.BackChannelSigning?
        if let served {
            let keys = KeySetHolder(try await SigningKeyRing(store: store, sealer: dataKey.sealer).load(
                publishFor: TokenSettings(issuer: served).keyRetention
            ))
            backChannel = SesameServer.BackChannelSigning(issuer: served, clients: store, keys: keys)
        }
        let listeners = SesameServer.messageListeners(singleLogout: SingleLogout(tickets: casTickets, logger: logger), backChannel: backChannel, audit: audit)
        return CLISessionTermination(termination: SessionTermination(store: store, listeners: listeners, audit: audit), knowsIssuer: served != nil)
    }

    /// `accounts` ending sessions through `termination`.
    func accounts(_ termination: CLISessionTermination) -> AccountService {
        var service = accounts
        service.termination = termination.termination
        return service
    }
}

/// How a CLI command ends sessions, and waits until the apps have been told before it exits.
struct CLISessionTermination {
    let termination: SessionTermination
    let knowsIssuer: Bool

    /// Waits for every logout message (each bounded by its listener's time-outs and retries, each
    /// result audited), and says on stderr when apps could not be told.
    func finish(_ outcome: SessionTerminationOutcome?) async {
        guard let outcome, !outcome.ended.isEmpty else { return }
        await outcome.deliveriesFinished()
        if !knowsIssuer && outcome.ended.contains(where: { !$0.clientIDs.isEmpty }) {
            FileHandle.standardError.write(Data("""
                warning: no app with back-channel logout was told that these sessions ended: no `sesame serve` has \
                started on this store since the upgrade, so the issuer for the logout tokens is unknown (CAS services were told)

                """.utf8))
        }
    }
}
