/// One scope Sesame knows: what the consent page says about it, which claims it releases, and
/// whether it is about a person (and so meaningless for a client acting for itself).
public struct ScopeDefinition: Sendable, Equatable {
    public let name: String
    /// Shown to the person on the consent page.
    public let consentDescription: String
    /// Claims it releases in the ID token and at /userinfo.
    public let claims: [String]
    public let isPersonal: Bool

    public init(name: String, consentDescription: String, claims: [String], isPersonal: Bool) {
        self.name = name
        self.consentDescription = consentDescription
        self.claims = claims
        self.isPersonal = isPersonal
    }
}

/// Every scope Sesame supports, registered once: discovery, the consent page, client checks and
/// the client-credentials grant all read this list.
public enum ScopeCatalogue {
    public static let openid = ScopeDefinition(name: "openid", consentDescription: "Who you are (your Sesame account id)", claims: ["sub"], isPersonal: true)
    public static let profile = ScopeDefinition(name: "profile", consentDescription: "Your name and username", claims: ["name", "preferred_username"], isPersonal: true)
    public static let email = ScopeDefinition(name: "email", consentDescription: "Your email address", claims: ["email", "email_verified"], isPersonal: true)
    public static let offlineAccess = ScopeDefinition(
        name: "offline_access", consentDescription: "Access while you are away (it stays signed in)", claims: [], isPersonal: true
    )
    public static let roles = ScopeDefinition(name: "roles", consentDescription: "Your roles", claims: ["roles"], isPersonal: true)
    public static let groups = ScopeDefinition(name: "groups", consentDescription: "Your groups", claims: ["groups"], isPersonal: true)
    public static let permissions = ScopeDefinition(
        name: "permissions", consentDescription: "What you are allowed to do in this app (your permissions)", claims: ["permissions"], isPersonal: true
    )

    public static let all: [ScopeDefinition] = [openid, profile, email, offlineAccess, roles, groups, permissions]

    public static var names: [String] { all.map(\.name) }
    public static func named(_ name: String) -> ScopeDefinition? { all.first { $0.name == name } }
    /// Built once: client_credentials filters every client scope through it.
    public static let personalNames: Set<String> = Set(all.filter(\.isPersonal).map(\.name))
    /// Every claim some scope releases, in catalogue order, each once.
    public static var releasedClaims: [String] {
        var seen = Set<String>()
        return all.flatMap(\.claims).filter { seen.insert($0).inserted }
    }
}
