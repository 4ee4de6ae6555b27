import Foundation
import Hummingbird
import SesameCore

struct ClientBody: Decodable {
    let name: String?
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
    let id_token_signed_response_alg: String?
    let resource_server: Bool?
    /// null removes it.
    let frontchannel_logout_uri: Patch<String>
    /// null removes it.
    let backchannel_logout_uri: Patch<String>
    static let updateMembers: Set<String> = [
        "redirect_uris", "post_logout_redirect_uris", "grant_types", "scopes", "token_endpoint_auth_method", "first_party",
        "require_two_factor", "required_roles", "required_groups", "claims", "jwks_uri", "id_token_signed_response_alg",
        "frontchannel_logout_uri", "backchannel_logout_uri", "resource_server",
    ]
    static let createMembers = updateMembers.union(["name"])

    var registration: ClientRegistration {
        var registration = ClientRegistration(
            redirectURIs: redirect_uris, postLogoutRedirectURIs: post_logout_redirect_uris, isPublic: nil, grantTypes: grant_types, scopes: scopes,
            tokenEndpointAuthMethod: token_endpoint_auth_method, jwksURI: jwks_uri, jwks: nil, firstParty: first_party,
            idTokenSignedResponseAlg: id_token_signed_response_alg
        )
        if case .value(let uri) = frontchannel_logout_uri { registration.frontchannelLogoutURI = uri ?? "" }
        if case .value(let uri) = backchannel_logout_uri { registration.backchannelLogoutURI = uri ?? "" }
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
    static let members: Set<String> = ["pattern", "attributes", "require_two_factor", "required_roles", "required_groups", "allowed_proxies"]
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
    static let members: Set<String> = ["name", "pattern", "attributes", "require_two_factor", "required_roles", "required_groups", "allowed_proxies"]
}

extension AdminAPI {
    func registerApps(on api: RouterGroup<Context>) {
        api.get("clients", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.clients.clients().map { ClientView($0) })) })
        api.post("clients", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(ClientBody.self, allowing: ClientBody.createMembers, from: request)
            guard let name = body.name else { throw Problem.invalid("'name' is required", field: "name") }
            let (client, secret) = try await deps.clients.add(name: name, body.registration)
            await record("client.created", caller, subject: client.id, changes: ["name": ([], [client.name]), "grant_types": ([], client.grantTypes.map(\.rawValue))])
            return try Self.json(ClientView(client, secret: secret, showSecret: true), status: .created)
        })
        api.get("clients/:name", use: guarded { _, context, _ in try Self.json(ClientView(try await client(context))) })
        api.patch("clients/:name", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(ClientBody.self, allowing: ClientBody.updateMembers, from: request)
            let before = try await client(context)
            let (client, _) = try await deps.clients.update(name: before.id, body.registration)
            await record("client.updated", caller, subject: client.id, changes: client.changes(since: before))
            return try Self.json(ClientView(client))
        })
        api.post("clients/:name/rotate-secret", use: guarded { _, context, caller in
            let client = try await client(context)
            let secret = try await deps.clients.rotateSecret(name: client.id)
            await record("client.secret_rotated", caller, subject: client.id)
            return try Self.json(ClientSecretView(client_id: client.id, client_secret: secret))
        })
        api.delete("clients/:name", use: guarded { _, context, caller in
            let client = try await client(context)
            try await deps.clients.delete(name: client.id)
            await record("client.deleted", caller, subject: client.id, changes: ["name": ([client.name], [])])
            return Self.noContent
        })

        api.get("cas-services", use: guarded { _, _, _ in try Self.json(Items(items: try await deps.cas.casServices().map(CASServiceView.init))) })
        api.post("cas-services", use: guarded { request, _, caller in
            let body = try await AdminBody.decode(CASServiceCreate.self, allowing: CASServiceCreate.members, from: request)
            let service = try CASServiceRules.make(
                name: body.name, pattern: body.pattern, attributes: body.attributes ?? [], requireTwoFactor: body.require_two_factor ?? false,
                requiredRoles: body.required_roles ?? [], requiredGroups: body.required_groups ?? [], allowedProxies: body.allowed_proxies ?? []
            )
            guard try await !deps.cas.casServices().contains(where: { $0.name.lowercased() == service.name.lowercased() }) else {
                throw Problem.conflict("a CAS service named '\(service.name)' already exists", field: "name")
            }
            try await deps.cas.insert(service)
            await record("cas_service.created", caller, subject: service.name, changes: ["pattern": ([], [service.pattern])])
            return try Self.json(CASServiceView(service), status: .created)
        })
        api.get("cas-services/:name", use: guarded { _, context, _ in try Self.json(CASServiceView(try await casService(context))) })
        api.patch("cas-services/:name", use: guarded { request, context, caller in
            let body = try await AdminBody.decode(CASServiceUpdate.self, allowing: CASServiceUpdate.members, from: request)
            let before = try await casService(context)
            // The same checks as a new service, on the changed values.
            var service = try CASServiceRules.make(
                name: before.name, pattern: body.pattern ?? before.pattern, attributes: body.attributes ?? before.attributes,
                proxyCallbackPattern: before.proxyCallbackPattern, logoutURL: before.logoutURL,
                requireTwoFactor: body.require_two_factor ?? before.requireTwoFactor,
                requiredRoles: body.required_roles ?? before.requiredRoles, requiredGroups: body.required_groups ?? before.requiredGroups,
                allowedProxies: body.allowed_proxies ?? before.allowedProxies
            )
            service.id = before.id
            service.createdAt = before.createdAt
            try await deps.cas.update(service)
            await record("cas_service.updated", caller, subject: service.name, changes: [
                "pattern": ([before.pattern], [service.pattern]), "attributes": (before.attributes, service.attributes),
                "require_two_factor": ([String(before.requireTwoFactor)], [String(service.requireTwoFactor)]),
                "required_roles": (before.requiredRoles, service.requiredRoles), "required_groups": (before.requiredGroups, service.requiredGroups),
                "allowed_proxies": (before.allowedProxies, service.allowedProxies),
            ])
            return try Self.json(CASServiceView(service))
        })
        api.delete("cas-services/:name", use: guarded { _, context, caller in
            let service = try await casService(context)
            _ = try await deps.cas.deleteCASService(id: service.id)
            await record("cas_service.deleted", caller, subject: service.name, changes: ["pattern": ([service.pattern], [])])
            return Self.noContent
        })
    }

    private func client(_ context: Context) async throws -> Client {
        let name = try Self.parameter(context, "name")
        do {
            return try await deps.clients.client(named: name)
        } catch is ClientError {
            throw Problem.notFound("the client")
        }
    }

    private func casService(_ context: Context) async throws -> CASService {
        let name = try Self.parameter(context, "name")
        guard let service = try await deps.cas.casServices().first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw Problem.notFound("the CAS service")
        }
        return service
    }
}
