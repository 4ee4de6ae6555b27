import Foundation

/// What an operator asks for when changing a CAS service. Nil fields keep their current value;
/// "" removes an optional URL or pattern.
public struct CASServiceChange: Sendable {
    public var pattern: String?
    public var attributes: [String]?
    public var proxyCallbackPattern: String?
    public var logoutURL: String?
    public var requireTwoFactor: Bool?
    public var requiredRoles: [String]?
    public var requiredGroups: [String]?
    public var allowedProxies: [String]?

    public init() {}
}

/// CAS service management for every door (CLI, admin API): the checks of `CASServiceRules`, the
/// one duplicate-name rule, and one audit event per change with the same detail whichever door.
public struct CASServiceManagement: Sendable {
    private let store: any CASStore
    private let clock: any WallClock
    private let random: any RandomSource
    /// Where changes are recorded; nil records nothing.
    public var audit: AuditTrail?
    /// Who changes things, as the audit trail names them.
    public var actor = ManagementActor.cli

    public init(store: any CASStore, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.store = store
        self.clock = clock
        self.random = random
    }

    public func services() async throws -> [CASService] {
        try await store.casServices()
    }

    /// Names are unique whatever their case.
    public func service(named name: String) async throws -> CASService {
        guard let service = try await store.casServices().first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw ClientError.unknownCASService(name)
        }
        return service
    }

    public func add(name: String, pattern: String, _ change: CASServiceChange = CASServiceChange()) async throws -> CASService {
        let service = try CASServiceRules.make(
            name: name, pattern: pattern, attributes: change.attributes ?? [], proxyCallbackPattern: change.proxyCallbackPattern.flatMap { $0.isEmpty ? nil : $0 },
            logoutURL: change.logoutURL.flatMap { $0.isEmpty ? nil : $0 }, requireTwoFactor: change.requireTwoFactor ?? false,
            requiredRoles: change.requiredRoles ?? [], requiredGroups: change.requiredGroups ?? [], allowedProxies: change.allowedProxies ?? [],
            random: random, now: clock.now()
        )
        guard try await !store.casServices().contains(where: { $0.name.lowercased() == service.name.lowercased() }) else {
            throw ClientError.duplicateCASService(service.name)
        }
        try await store.insert(service)
        let blank = CASService(id: service.id, name: service.name, pattern: "", createdAt: service.createdAt)
        await record(.casServiceCreated, service, service.changes(since: blank))
        return service
    }

    /// Changes a service with the same checks as a new one, on the changed values.
    public func update(name: String, _ change: CASServiceChange) async throws -> CASService {
        let before = try await service(named: name)
        func optional(_ new: String?, _ old: String?) -> String? { new.map { $0.isEmpty ? nil : $0 } ?? old }
        var service = try CASServiceRules.make(
            name: before.name, pattern: change.pattern ?? before.pattern, attributes: change.attributes ?? before.attributes,
            proxyCallbackPattern: optional(change.proxyCallbackPattern, before.proxyCallbackPattern),
            logoutURL: optional(change.logoutURL, before.logoutURL), requireTwoFactor: change.requireTwoFactor ?? before.requireTwoFactor,
            requiredRoles: change.requiredRoles ?? before.requiredRoles, requiredGroups: change.requiredGroups ?? before.requiredGroups,
            allowedProxies: change.allowedProxies ?? before.allowedProxies, random: random, now: before.createdAt
        )
        service.id = before.id
        service.createdAt = before.createdAt
        try await store.update(service)
        await record(.casServiceUpdated, service, service.changes(since: before))
        return service
    }

    @discardableResult
    public func delete(name: String) async throws -> CASService {
        let service = try await service(named: name)
        guard try await store.deleteCASService(id: service.id) else { throw ClientError.unknownCASService(name) }
        await record(.casServiceDeleted, service, ["pattern": ([service.pattern], [])])
        return service
    }

    private func record(_ kind: AuditEventKind, _ service: CASService, _ changes: [String: (before: [String], after: [String])]) async {
        await audit?.record(kind, actor: actor.auditName, subject: service.name, detail: AuditEvent.changes(changes))
    }
}

extension CASService {
    /// What a change did, field by field as lists of strings, for the audit detail.
    func changes(since before: CASService) -> [String: (before: [String], after: [String])] {
        func one(_ value: String?) -> [String] { value.map { [$0] } ?? [] }
        return [
            "pattern": (one(before.pattern.isEmpty ? nil : before.pattern), [pattern]), "attributes": (before.attributes, attributes),
            "proxy_callback_pattern": (one(before.proxyCallbackPattern), one(proxyCallbackPattern)),
            "logout_url": (one(before.logoutURL), one(logoutURL)),
            "require_two_factor": ([String(before.requireTwoFactor)], [String(requireTwoFactor)]),
            "required_roles": (before.requiredRoles, requiredRoles), "required_groups": (before.requiredGroups, requiredGroups),
            "allowed_proxies": (before.allowedProxies, allowedProxies),
        ]
    }
}
