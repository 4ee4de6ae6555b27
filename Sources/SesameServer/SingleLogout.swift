import Foundation
import Logging
import SesameCore

/// CAS single log-out, a listener of `SessionTermination`: when a Sesame session ends, every CAS
/// service that got a ticket in it is sent a back-channel SAML LogoutRequest. Sent in the
/// background with a short timeout; failures are logged and never hold up the person's sign-out.
public struct SingleLogout: SessionTerminationListener {
    let tickets: CASTickets
    let logger: Logger
    let timeout: TimeInterval

    public init(tickets: CASTickets, logger: Logger, timeout: TimeInterval = 3) {
        self.tickets = tickets
        self.logger = logger
        self.timeout = timeout
    }

    /// One log-out message: where it goes and what it says.
    struct Delivery: Sendable {
        let url: String
        let serviceID: String
        let body: String
    }

    /// Run by `SessionTermination` off the request's path, once per ended session.
    public func sessionEnded(_ session: EndedSession) async {
        guard let issued = try? await tickets.ticketsToLogOut(sessionID: session.sid), !issued.isEmpty else { return }
        let services = (try? await tickets.services()) ?? []
        let deliveries = issued.compactMap { entry -> Delivery? in
            guard let service = services.first(where: { $0.id == entry.serviceID }),
                let url = Self.destination(serviceURL: entry.service, service: service)
            else { return nil }
            let message = CASResponse.logoutRequest(ticket: entry.ticket, id: "LR-" + UUID().uuidString, at: Date())
            return Delivery(url: url, serviceID: entry.serviceID, body: "logoutRequest=" + AuthorizeRoutes.encode(message))
        }
        guard !deliveries.isEmpty else { return }
        await Self.send(deliveries, timeout: timeout, logger: logger)
    }

    /// The service's registered logout URL, or else the ticket's service URL while it still matches
    /// the service's pattern: never an address the registration does not name.
    static func destination(serviceURL: String, service: CASService) -> String? {
        if let logoutURL = service.logoutURL { return CASServiceURL(logoutURL) != nil ? logoutURL : nil }
        return service.matches(serviceURL) ? serviceURL : nil
    }

    /// One POST each. Redirects are not followed (a log-out endpoint that redirects has done its
    /// work; following would send requests to wherever it points), and a 3xx counts as delivered.
    static func send(_ deliveries: [Delivery], timeout: TimeInterval, logger: Logger) async {
        let transport = HTTPBackChannelLogoutTransport()
        for delivery in deliveries {
            do {
                let status = try await transport.post(form: delivery.body, to: delivery.url, timeout: timeout)
                if (200..<400).contains(status) {
                    logger.info("single log-out sent", metadata: ["service": "\(delivery.serviceID)", "status": "\(status)"])
                } else {
                    logger.warning("single log-out refused", metadata: ["service": "\(delivery.serviceID)", "status": "\(status)"])
                }
            } catch {
                logger.warning("single log-out failed", metadata: ["service": "\(delivery.serviceID)", "error": "\(error)"])
            }
        }
    }
}
