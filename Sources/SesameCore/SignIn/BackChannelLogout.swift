import Foundation

/// Sends one form-encoded POST and answers the HTTP status (the server's is AsyncHTTPClient with
/// redirects off); throws when nothing came back in time.
public protocol BackChannelLogoutTransport: Sendable {
    func post(form body: String, to uri: String, timeout: TimeInterval) async throws -> Int
}

/// OpenID Connect Back-Channel Logout 1.0: when a session ends, each app it signed in to that
/// registered a `backchannel_logout_uri` gets a logout token, all at once, each with a time-out
/// and a few retries, each result audited. Apps the session never signed in to hear nothing.
public struct BackChannelLogout: SessionTerminationListener {
    let clients: any ClientStore
    let tokens: BackChannelLogoutToken
    let transport: any BackChannelLogoutTransport
    let audit: AuditTrail?
    var attempts: Int
    var retryDelay: Duration
    var timeout: TimeInterval

    public init(
        clients: any ClientStore, tokens: BackChannelLogoutToken, transport: any BackChannelLogoutTransport, audit: AuditTrail?,
        attempts: Int = 3, retryDelay: Duration = .milliseconds(500), timeout: TimeInterval = 3
    ) {
        self.clients = clients
        self.tokens = tokens
        self.transport = transport
        self.audit = audit
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
        self.timeout = timeout
    }

    public func sessionEnded(_ session: EndedSession) async {
        guard !session.clientIDs.isEmpty else { return }
        var targets: [Client] = []
        for id in session.clientIDs.sorted() {
            if let client = (try? await clients.client(id: id)) ?? nil, client.backchannelLogoutURI != nil { targets.append(client) }
        }
        await withTaskGroup(of: Void.self) { group in
            for client in targets { group.addTask { await deliver(to: client, about: session) } }
        }
    }

    func deliver(to client: Client, about session: EndedSession) async {
        guard let uri = client.backchannelLogoutURI else { return }
        let token: String
        do {
            token = try tokens.make(for: client, session: session)
        } catch {
            await record(false, client, session, "no token: \(error)")
            return
        }
        let body = "logout_token=" + Self.formEncode(token)
        var outcome = ""
        for attempt in 1...attempts {
            if attempt > 1 { try? await Task.sleep(for: retryDelay * (1 << (attempt - 2))) }
            do {
                let status = try await transport.post(form: body, to: uri, timeout: timeout)
                if (200..<300).contains(status) {
                    await record(true, client, session, "status=\(status) attempts=\(attempt)")
                    return
                }
                outcome = "status=\(status)"
                // The app read the token and refused it (§2.8); sending it again changes nothing.
                if (400..<500).contains(status) && status != 408 && status != 429 { break }
            } catch {
                outcome = "error=\(error)"
            }
        }
        await record(false, client, session, outcome + " attempts=\(attempts)")
    }

    private func record(_ delivered: Bool, _ client: Client, _ session: EndedSession, _ detail: String) async {
        await audit?.record(
            delivered ? .backChannelLogoutDelivered : .backChannelLogoutFailed, subject: session.userID, clientID: client.id,
            detail: "sid=\(session.sid) " + detail
        )
    }

    /// A JWT is base64url and dots already; encode anyway so the body is right whatever it holds.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
