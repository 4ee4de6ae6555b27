import SesameCore
import SesameModels

extension SesameServer {
    /// Who hears when a session ends: CAS services (single log-out), and OAuth apps through the
    /// front channel (frames in the browser) and the back channel (logout tokens).
    static func sessionTermination(dependencies: ServerDependencies, clock: any WallClock, random: any RandomSource) -> SessionTermination {
        let audit = dependencies.audit ?? dependencies.oauth?.audit ?? dependencies.cas?.audit
        var listeners: [any SessionTerminationListener] = []
        if let cas = dependencies.cas { listeners.append(cas.singleLogout) }
        if let oauth = dependencies.oauth {
            let issuer = oauth.discovery.issuer
            listeners.append(FrontChannelLogout(clients: oauth.clients, issuer: issuer))
            listeners.append(BackChannelLogout(
                clients: oauth.clients, tokens: BackChannelLogoutToken(issuer: issuer, keys: oauth.keys, clock: clock, random: random),
                transport: dependencies.backChannelLogout, audit: audit
            ))
        }
        return dependencies.sessions.termination(listeners: listeners, audit: audit)
    }
}
