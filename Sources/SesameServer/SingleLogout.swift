import Foundation
import Logging
import SesameCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// CAS single log-out: when a Sesame session ends, every CAS service that got a ticket in it is
/// sent a back-channel SAML LogoutRequest. Sent in the background with a short timeout; failures
/// are logged and never hold up the person's sign-out.
public struct SingleLogout: Sendable {
    let tickets: CASTickets
    let logger: Logger
    let timeout: TimeInterval

    public init(tickets: CASTickets, logger: Logger, timeout: TimeInterval = 3) {
        self.tickets = tickets
        self.logger = logger
        self.timeout = timeout
    }

    public func logOut(session: SessionRecord) async {
        guard let issued = try? await tickets.ticketsToLogOut(sessionID: session.sid), !issued.isEmpty else { return }
        let services = (try? await tickets.services()) ?? []
        let logger = self.logger, timeout = self.timeout
        Task.detached {
            for (serviceURL, serviceID, ticket) in issued {
                let target = services.first { $0.id == serviceID }?.logoutURL ?? serviceURL
                guard let url = URL(string: target) else { continue }
                var request = URLRequest(url: url, timeoutInterval: timeout)
                request.httpMethod = "POST"
                request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
                let message = CASResponse.logoutRequest(ticket: ticket, id: "LR-" + UUID().uuidString, at: Date())
                request.httpBody = Data(("logoutRequest=" + AuthorizeRoutes.encode(message)).utf8)
                do {
                    let (_, response) = try await URLSession.shared.data(for: request)
                    logger.info("single log-out sent", metadata: ["service": "\(serviceID)", "status": "\((response as? HTTPURLResponse)?.statusCode ?? 0)"])
                } catch {
                    logger.warning("single log-out failed", metadata: ["service": "\(serviceID)", "error": "\(error.localizedDescription)"])
                }
            }
        }
    }
}
