import SesameCore

extension SesameServer {
    /// Who hears when a session ends: CAS services (single log-out), and OAuth apps through the
    /// front channel (frames in the browser) and the back channel (logout tokens).
    static func sessionTermination(dependencies: ServerDependencies, clock: any WallClock, random: any RandomSource) -> SessionTermination {
        let audit = dependencies.audit ?? dependencies.oauth?.audit ?? dependencies.cas?.audit
        var listeners: [any SessionTerminationListener] = []
        if let oauth = dependencies.oauth { listeners.append(FrontChannelLogout(clients: oauth.clients, issuer: oauth.discovery.issuer)) }
        listeners += messageListeners(
            singleLogout: dependencies.cas?.singleLogout,
            backChannel: dependencies.oauth.map { BackChannelSigning(issuer: $0.discovery.issuer, clients: $0.clients, keys: $0.keys) },
            transport: dependencies.backChannelLogout, audit: audit, clock: clock, random: random
        )
        return dependencies.sessions.termination(listeners: listeners, audit: audit)
    }

    /// What back-channel logout tokens are made from: the issuer the apps know, and the ID-token keys.
    public struct BackChannelSigning: Sendable {
        let issuer: String
        let clients: any ClientStore
        let keys: KeySetHolder

        public init(issuer: String, clients: any ClientStore, keys: KeySetHolder) {
            self.issuer = issuer
            self.clients = clients
            self.keys = keys
        }
    }

    /// The listeners that send messages and need no browser: CAS single log-out and back-channel
    /// logout. The server adds front-channel frames to them; the CLI ends sessions with these alone.
    public static func messageListeners(
        singleLogout: SingleLogout?, backChannel: BackChannelSigning?,
        transport: any BackChannelLogoutTransport = HTTPBackChannelLogoutTransport(), audit: AuditTrail?,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()
    ) -> [any SessionTerminationListener] {
        var listeners: [any SessionTerminationListener] = []
        if let singleLogout { listeners.append(singleLogout) }
        if let backChannel {
            listeners.append(BackChannelLogout(
                clients: backChannel.clients,
                tokens: BackChannelLogoutToken(issuer: backChannel.issuer, keys: backChannel.keys, clock: clock, random: random),
                transport: transport, audit: audit
            ))
        }
        return listeners
    }
}
