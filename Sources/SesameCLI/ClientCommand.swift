import ArgumentParser
import Foundation
import SesameAdmin
import SesameCore

struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Manage OpenID Connect / OAuth clients (apps).",
        subcommands: [ClientAdd.self, ClientList.self, ClientShow.self, ClientUpdate.self, ClientDelete.self, ClientRotateSecret.self]
    )
}

/// The options `client add` and `client update` share.
struct ClientOptions: ParsableArguments {
    @Option(name: .customLong("redirect-uri"), help: "A redirect URI, exactly as the app sends it (repeatable).")
    var redirectURIs: [String] = []
    @Option(name: .customLong("post-logout-redirect-uri"), help: "Where the app may send people after sign-out (repeatable).")
    var postLogoutRedirectURIs: [String] = []
    @Option(name: .customLong("grant"), help: "authorization_code, refresh_token or client_credentials (repeatable).")
    var grants: [String] = []
    @Option(name: .customLong("scope"), help: "A scope the client may ask for (repeatable; default: all user scopes).")
    var scopes: [String] = []
    @Option(help: "client_secret_basic, client_secret_post, private_key_jwt or none.") var tokenAuth: String?
    @Option(name: .customLong("jwks-uri"), help: "The client's JWK Set URL, for private_key_jwt.") var jwksURI: String?
    @Option(help: "The client's JWK Set as JSON, for private_key_jwt.") var jwks: String?
    @Option(name: .customLong("id-token-alg"), help: "ES256 (default) or RS256.") var idTokenAlg: String?
    @Option(name: .customLong("require-2fa"), help: "true: everyone signing in to this client must use two-step verification.")
    var requireTwoFactor: Bool?
    @Option(name: .customLong("require-role"), help: "Only people with this role may sign in (repeatable: any of them; '' for none).")
    var requiredRoles: [String] = []
    @Option(name: .customLong("require-group"), help: "Only people in this group may sign in (repeatable: any of them; '' for none).")
    var requiredGroups: [String] = []
    @Option(name: .customLong("frontchannel-logout-uri"), help: "Front-channel logout: a URL of the app that Sesame loads when a session ends ('' removes it).")
    var frontchannelLogoutURI: String?
    @Option(name: .customLong("backchannel-logout-uri"), help: "Back-channel logout: an https URL (http on loopback) of the app that Sesame POSTs a logout token to when a session ends ('' removes it).")
    var backchannelLogoutURI: String?
    @Option(help: "Access claims tokens may carry, comma-separated: roles,groups,permissions (default all three; each also needs its scope).")
    var claims: String?
    @Option(name: .customLong("resource-server"), help: "true: this client is an API that may introspect other clients' access tokens.")
    var resourceServer: Bool?
    @Option(name: .customLong("display-name"), help: "What people see, e.g. on the consent page (\"Team Wiki\"; '' for the name).")
    var displayName: String?

    func registration(isPublic: Bool?, firstParty: Bool?) -> ClientRegistration {
        var registration = ClientRegistration(
            redirectURIs: redirectURIs.isEmpty ? nil : redirectURIs,
            postLogoutRedirectURIs: postLogoutRedirectURIs.isEmpty ? nil : postLogoutRedirectURIs,
            isPublic: isPublic, grantTypes: grants.isEmpty ? nil : grants.flatMap { $0.split(separator: ",").map(String.init) },
            scopes: scopes.isEmpty ? nil : scopes.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) },
            tokenEndpointAuthMethod: tokenAuth, jwksURI: jwksURI, jwks: jwks, firstParty: firstParty, idTokenSignedResponseAlg: idTokenAlg
        )
        registration.displayName = displayName
        registration.requireTwoFactor = requireTwoFactor
        registration.resourceServer = resourceServer
        registration.requiredRoles = requiredRoles.isEmpty ? nil : requiredRoles.filter { !$0.isEmpty }
        registration.requiredGroups = requiredGroups.isEmpty ? nil : requiredGroups.filter { !$0.isEmpty }
        registration.frontchannelLogoutURI = frontchannelLogoutURI
        registration.backchannelLogoutURI = backchannelLogoutURI
        registration.accessClaims = claims.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return registration
    }
}

struct ClientAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a client; prints its id and, once, its secret.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "A unique name: letters, digits, '.', '_' or '-'; or a display name such as \"Team Wiki\", from which the name team-wiki is made.")
    var name: String
    @OptionGroup var options: ClientOptions
    @Flag(help: "A public client (native or browser app): no secret, PKCE required.") var `public` = false
    @Flag(help: "Skip the consent page (your own apps).") var firstParty = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let (client, secret) = try await Runtime.with(try common.resolved()) { runtime in
                try await runtime.clients.add(name: name, options.registration(isPublic: `public`, firstParty: firstParty))
            }
            try ClientOutput.print(client, secret: secret, json: json)
        }
    }
}

struct ClientUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a client; given lists replace the current ones."
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "The client's name or client_id.") var name: String
    @OptionGroup var options: ClientOptions
    @Option(help: "true or false.") var firstParty: Bool?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let (client, secret) = try await Runtime.with(try common.resolved()) { runtime in
                try await runtime.clients.update(name: name, options.registration(isPublic: nil, firstParty: firstParty))
            }
            try ClientOutput.print(client, secret: secret, json: json)
        }
    }
}

struct ClientList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List clients.")
    @OptionGroup var common: CommonOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let clients = try await Runtime.with(try common.resolved()) { try await $0.clients.clients() }
            if json {
                print(try JSONOutput.render(clients.map { ClientView($0) }))
            } else {
                for client in clients {
                    print([client.name, client.id, client.tokenEndpointAuthMethod.rawValue, client.grantTypes.map(\.rawValue).joined(separator: ","), client.shownName].joined(separator: "\t"))
                }
            }
        }
    }
}

struct ClientShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one client (never its secret).")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The client's name or client_id.") var name: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let client = try await Runtime.with(try common.resolved()) { try await $0.clients.client(named: name) }
            try ClientOutput.print(client, secret: nil, json: json)
        }
    }
}

struct ClientDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a client.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The client's name or client_id.") var name: String

    func run() async throws {
        try await reportingErrors {
            try await Runtime.with(try common.resolved()) { runtime in
                try await runtime.clients.delete(name: name)
            }
            print("Deleted client \(name).")
        }
    }
}

struct ClientRotateSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate-secret", abstract: "Replace a client's secret; prints the new one once.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The client's name or client_id.") var name: String

    func run() async throws {
        try await reportingErrors {
            let secret = try await Runtime.with(try common.resolved()) { runtime in
                try await runtime.clients.rotateSecret(name: name)
            }
            print("client_secret: \(secret)")
        }
    }
}

/// A client as the CLI prints it; the secret appears only right after it was made.
/// How the client commands print a client: as text, or with `--json` as the admin API shows it.
enum ClientOutput {
    static func print(_ client: Client, secret: String?, json: Bool) throws {
        if json {
            Swift.print(try JSONOutput.render(ClientView(client, secret: secret, showSecret: secret != nil)))
            return
        }
        Swift.print("client_id: \(client.id)")
        if let secret { Swift.print("client_secret: \(secret)   (shown only now)") }
        Swift.print("name: \(client.name)")
        if let shown = client.displayName { Swift.print("display_name: \(shown)") }
        Swift.print("redirect_uris: \(client.redirectURIs.joined(separator: " "))")
        Swift.print("grant_types: \(client.grantTypes.map(\.rawValue).joined(separator: " "))")
        Swift.print("scopes: \(client.scopes.joined(separator: " "))")
        Swift.print("token_endpoint_auth_method: \(client.tokenEndpointAuthMethod.rawValue)")
        Swift.print("first_party: \(client.firstParty)")
        Swift.print("resource_server: \(client.resourceServer)")
        if let uri = client.frontchannelLogoutURI { Swift.print("frontchannel_logout_uri: \(uri)") }
        if let uri = client.backchannelLogoutURI { Swift.print("backchannel_logout_uri: \(uri)") }
    }
}

extension Runtime {
    /// Client, CAS service and key management as the CLI does it: recorded as done by `cli`.
    var clients: ClientManagement {
        var service = ClientManagement(store: store)
        service.audit = audit
        return service
    }

    var casServices: CASServiceManagement {
        var service = CASServiceManagement(store: store)
        service.audit = audit
        return service
    }

    var signingKeys: SigningKeyManagement {
        var service = SigningKeyManagement(ring: SigningKeyRing(store: store, sealer: dataKey.sealer), store: store)
        service.audit = audit
        return service
    }
}
