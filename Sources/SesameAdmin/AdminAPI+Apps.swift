import Foundation
import Hummingbird
import SesameCore

struct ClientBody: Decodable {
    let name: String?
    let display_name: String?
    let redirect_uris: [String]?
    let post_logout_redirect_uris: [String]?
    let grant_types: [String]?
    let scopes: [String]?
    let token_endpoint_auth_method: String?
    let first_party: Bool?
    let require_two_factor: Bool?
    let required_roles: [String]?
    let required_groups: [String]?
    let claims: [String]?
    let jwks_uri: String?
    /// The JWK Set by value, as JSON text, for private_key_jwt.
    let jwks: String?
    let id_token_signed_response_alg: String?
    let resource_server: Bool?
    /// null removes it.
    let frontchannel_logout_uri: Patch<String>
    /// null removes it.
    let backchannel_logout_uri: Patch<String>
    static let updateMembers: Set<String> = [
        "redirect_uris", "post_logout_redirect_uris", "grant_types", "scopes", "token_endpoint_auth_method", "first_party",
        "require_two_factor", "required_roles", "required_groups", "claims", "jwks_uri", "id_token_signed_response_alg",
        "frontchannel_logout_uri", "backchannel_logout_uri", "resource_server", "display_name", "jwks",
    ]
    static let createMembers = updateMembers.union(["name"])

    var registration: ClientRegistration {
        var registration = ClientRegistration(
            redirectURIs: redirect_uris, postLogoutRedirectURIs: post_logout_redirect_uris, isPublic: nil, grantTypes: grant_types, scopes: scopes,
            tokenEndpointAuthMethod: token_endpoint_auth_method, jwksURI: jwks_uri, jwks: jwks, firstParty: first_party,
            idTokenSignedResponseAlg: id_token_signed_response_alg
        )
        if case .value(let uri) = frontchannel_logout_uri { registration.frontchannelLogoutURI = uri ?? "" }
        if case .value(let uri) = backchannel_logout_uri { registration.backchannelLogoutURI = uri ?? "" }
        registration.displayName = display_name
        registration.requireTwoFactor = require_two_factor
        registration.resourceServer = resource_server
        registration.requiredRoles = required_roles
        registration.requiredGroups = required_groups
        registration.accessClaims = claims
        return registration
    }
}

struct CASServiceUpdate: Decodable {
    let pattern: String?
    let attributes: [String]?
    let require_two_factor: Bool?
    let required_roles: [String]?
    let required_groups: [String]?
    let allowed_proxies: [String]?
    /// null removes it.
    let proxy_callback_pattern: Patch<String>
    /// null: single log-out goes to the service URL.
    let logout_url: Patch<String>
    static let members: Set<String> = [
        "pattern", "attributes", "require_two_factor", "required_roles", "required_groups", "allowed_proxies", "proxy_callback_pattern", "logout_url",
    ]

    var change: CASServiceChange {
        var change = CASServiceChange()
        change.pattern = pattern
        change.attributes = attributes
        change.requireTwoFactor = require_two_factor
        change.requiredRoles = required_roles
        change.requiredGroups = required_groups
        change.allowedProxies = allowed_proxies
        if case .value(let value) = proxy_callback_pattern { change.proxyCallbackPattern = value ?? "" }
        if case .value(let value) = logout_url { change.logoutURL = value ?? "" }
        return change
    }
}

struct ClientSecretView: Encodable {
    let client_id: String
    let client_secret: String
}

struct CASServiceCreate: Decodable {
    let name: String
    let pattern: String
    let attributes: [String]?
    let require_two_factor: Bool?
    let required_roles: [String]?
    let required_groups: [String]?
    let allowed_proxies: [String]?
    let proxy_callback_pattern: String?
    let logout_url: String?
    static let members: Set<String> = [
        "name", "pattern", "attributes", "require_two_factor", "required_roles", "required_groups", "allowed_proxies", "proxy_callback_pattern", "logout_url",
    ]

    var change: CASServiceChange {
        var change = CASServiceChange()
        change.attributes = attributes
        change.requireTwoFactor = require_two_factor
        change.requiredRoles = required_roles
        change.requiredGroups = required_groups
        change.allowedProxies = allowed_proxies
        change.proxyCallbackPattern = proxy_callback_pattern
        change.logoutURL = logout_url
        return change
    }
}

extension AdminDependencies {
    /// Client, CAS service and key management as done by the API's caller.
    func clients(for caller: AdminCaller) -> ClientManagement {
        var service = clients
        service.audit = audit
        service.actor = caller.managementActor
        return service
    }

    func casServices(for caller: AdminCaller) -> CASServiceManagement {
        var service = CASServiceManagement(store: cas)
        service.audit = audit
        service.actor = caller.managementActor
        return service
    }

    func signingKeyManagement(for caller: AdminCaller) -> SigningKeyManagement {
        var service = SigningKeyManagement(ring: keys, store: signingKeys)
        service.audit = audit
        service.actor = caller.managementActor
        return service
    }
}

extension AdminAPI {
    func registerApps(on api: RouterGroup<Context>) {
        api.get("clients", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.clients.clients().map { ClientView($0) })) })
        api.post("clients", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(ClientBody.self, allowing: ClientBody.createMembers, from: request)
            guard let name = body.name else { throw Problem.invalid("'name' is required", field: "name") }
            let (client, secret) = try await deps.clients(for: caller).add(name: name, body.registration)
            return try Self.json(ClientView(client, secret: secret, showSecret: true), status: .created)
        })
        api.get("clients/:name", use: guarded { _, context, _ in
            try Self.json(ClientView(try await deps.clients.client(named: try Self.parameter(context, "name"))))
        })
        api.patch("clients/:name", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(ClientBody.self, allowing: ClientBody.updateMembers, from: request)
            let (client, _) = try await deps.clients(for: caller).update(name: try Self.parameter(context, "name"), body.registration)
            return try Self.json(ClientView(client))
        })
        api.post("clients/:name/rotate-secret", use: guarded { _, context, caller in
            let clients = deps.clients(for: caller)
            let client = try await clients.client(named: try Self.parameter(context, "name"))
            let secret = try await clients.rotateSecret(name: client.id)
            return try Self.json(ClientSecretView(client_id: client.id, client_secret: secret))
        })
        api.delete("clients/:name", use: guarded { _, context, caller in
            try await deps.clients(for: caller).delete(name: try Self.parameter(context, "name"))
            return Self.noContent
        })

        api.get("cas-services", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.cas.casServices().map(CASServiceView.init))) })
        api.post("cas-services", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(CASServiceCreate.self, allowing: CASServiceCreate.members, from: request)
            let service = try await deps.casServices(for: caller).add(name: body.name, pattern: body.pattern, body.change)
            return try Self.json(CASServiceView(service), status: .created)
        })
        api.get("cas-services/:name", use: guarded { _, context, caller in
            try Self.json(CASServiceView(try await deps.casServices(for: caller).service(named: try Self.parameter(context, "name"))))
        })
        api.patch("cas-services/:name", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(CASServiceUpdate.self, allowing: CASServiceUpdate.members, from: request)
            let service = try await deps.casServices(for: caller).update(name: try Self.parameter(context, "name"), body.change)
            return try Self.json(CASServiceView(service))
        })
        api.delete("cas-services/:name", use: guarded { _, context, caller in
            try await deps.casServices(for: caller).delete(name: try Self.parameter(context, "name"))
            return Self.noContent
        })
    }
}
