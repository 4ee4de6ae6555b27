import Foundation
import Hummingbird
import SesameCore

/// A directory as the admin API and `sesame directory show --json` show it: what is in force
/// (the profile's defaults filled in), never the bind password, which is write-only.
package struct DirectoryView: Encodable {
    let name: String, profile: String, urls: [String], bind_dn: String, base_dn: String
    let user_filter: String, list_filter: String, login_attributes: [String]
    let attribute_map: AttributeMapView
    let groups: GroupsView
    let group_rules: [GroupRuleView]
    let start_tls: Bool
    @Nullable var ca_file: String?
    let verify_certificates: Bool
    let connect_timeout: Double, operation_timeout: Double
    let pool_size: Int, position: Int, enabled: Bool

    struct AttributeMapView: Encodable {
        let username: String, email: String, name: String, immutable_id: String, immutable_id_format: String
    }

    struct GroupsView: Encodable {
        let member_of: Bool
        @Nullable var search_base: String?
        @Nullable var search_filter: String?
        @Nullable var member_uid_filter: String?
        let name_attribute: String, nesting: String, max_depth: Int, primary_group: Bool
    }

    struct GroupRuleView: Encodable {
        let match: String, groups: [String], roles: [String]
    }

    package init(_ c: DirectoryConfiguration) {
        name = c.name
        profile = c.profile.rawValue
        urls = c.urls
        bind_dn = c.bindDN
        base_dn = c.baseDN
        user_filter = c.effectiveUserFilter
        list_filter = c.effectiveListFilter
        login_attributes = c.effectiveLoginAttributes
        let map = c.effectiveAttributeMap
        attribute_map = AttributeMapView(
            username: map.username, email: map.email, name: map.name, immutable_id: map.immutableID, immutable_id_format: map.immutableIDFormat.rawValue
        )
        let g = c.effectiveGroups
        groups = GroupsView(
            member_of: g.memberOf, search_base: g.searchBase, search_filter: g.searchFilter, member_uid_filter: g.memberUidFilter,
            name_attribute: g.nameAttribute, nesting: g.nesting.rawValue, max_depth: g.maxDepth, primary_group: g.primaryGroup
        )
        group_rules = c.groupRules.map { GroupRuleView(match: $0.match, groups: $0.groups, roles: $0.roles) }
        start_tls = c.startTLS
        ca_file = c.caFile
        verify_certificates = c.verifyCertificates
        connect_timeout = c.connectTimeout
        operation_timeout = c.operationTimeout
        pool_size = c.poolSize
        position = c.position
        enabled = c.enabled
    }
}

/// A group rule as the API takes it.
struct GroupRuleBody: Decodable, Sendable {
    let match: String
    let groups: [String]?
    let roles: [String]?
}

/// POST creates (name, urls, bind_dn, bind_password, base_dn, profile required); PATCH changes
/// what it names, and null puts an override back to the profile's default.
struct DirectoryBody: Decodable {
    let name: String?
    let urls: [String]?
    let bind_dn: String?
    let bind_password: String?
    let base_dn: String?
    let profile: String?
    let user_filter: Patch<String>
    let list_filter: Patch<String>
    let login_attributes: Patch<[String]>
    let group_search_base: Patch<String>
    let group_filter: Patch<String>
    let nesting: String?
    let group_rules: [GroupRuleBody]?
    let start_tls: Bool?
    let ca_file: Patch<String>
    let verify_certificates: Bool?
    let connect_timeout: Double?
    let operation_timeout: Double?
    let pool_size: Int?
    let position: Int?
    let enabled: Bool?

    static let updateMembers: Set<String> = [
        "urls", "bind_dn", "bind_password", "base_dn", "profile", "user_filter", "list_filter", "login_attributes", "group_search_base",
        "group_filter", "nesting", "group_rules", "start_tls", "ca_file", "verify_certificates", "connect_timeout", "operation_timeout",
        "pool_size", "position", "enabled",
    ]
    static let createMembers = updateMembers.union(["name"])

    /// A new configuration from a POST body.
    func configuration() throws -> DirectoryConfiguration {
        func required<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else { throw Problem.invalid("'\(field)' is required", field: field) }
            return value
        }
        var configuration = DirectoryConfiguration(
            name: try required(name, "name"), urls: try required(urls, "urls"), bindDN: try required(bind_dn, "bind_dn"),
            bindPassword: try required(bind_password, "bind_password"), baseDN: try required(base_dn, "base_dn"),
            profile: try Self.profile(try required(profile, "profile"))
        )
        try apply(to: &configuration)
        return configuration
    }

    /// Applies what the body names (a PATCH, or the optional members of a POST).
    func apply(to c: inout DirectoryConfiguration) throws {
        if let urls { c.urls = urls }
        if let bind_dn { c.bindDN = bind_dn }
        if let bind_password {
            guard !bind_password.isEmpty else { throw Problem.invalid("'bind_password' must not be empty", field: "bind_password") }
            c.bindPassword = bind_password
        }
        if let base_dn { c.baseDN = base_dn }
        if let profile { c.profile = try Self.profile(profile) }
        if case .value(let value) = user_filter { c.userFilter = value }
        if case .value(let value) = list_filter { c.listFilter = value }
        if case .value(let value) = login_attributes { c.loginAttributes = value }
        if case .value(let value) = ca_file { c.caFile = value }
        if group_search_base.isGiven || group_filter.isGiven || nesting != nil {
            var groups = c.effectiveGroups
            if case .value(let value) = group_search_base { groups.searchBase = value }
            if case .value(let value) = group_filter { groups.searchFilter = value }
            if let nesting {
                guard let parsed = DirectoryNesting(rawValue: nesting) else {
                    throw Problem.invalid("'nesting' must be one of \(DirectoryNesting.allCases.map(\.rawValue).joined(separator: ", "))", field: "nesting")
                }
                groups.nesting = parsed
            }
            c.groups = groups
        }
        if let group_rules { c.groupRules = group_rules.map { DirectoryGroupRule(match: $0.match, groups: $0.groups ?? [], roles: $0.roles ?? []) } }
        if let start_tls { c.startTLS = start_tls }
        if let verify_certificates { c.verifyCertificates = verify_certificates }
        if let connect_timeout { c.connectTimeout = connect_timeout }
        if let operation_timeout { c.operationTimeout = operation_timeout }
        if let pool_size { c.poolSize = pool_size }
        if let position { c.position = position }
        if let enabled { c.enabled = enabled }
    }

    static func profile(_ text: String) throws -> DirectoryProfile {
        guard let profile = DirectoryProfile(rawValue: text) else {
            throw Problem.invalid("'profile' must be one of \(DirectoryProfile.allCases.map(\.rawValue).joined(separator: ", "))", field: "profile")
        }
        return profile
    }
}

extension Patch {
    var isGiven: Bool {
        if case .absent = self { return false }
        return true
    }
}

/// `POST /directories/{name}/test`: an optional sign-in to try.
struct DirectoryTestBody: Decodable {
    let username: String?
    let password: String?
    static let members: Set<String> = ["username", "password"]
}

/// What the server gives the admin API for directories it does not own itself: the LDAP gateway
/// lives in SesameServer, so sync and test come in as closures, and a change is announced so
/// the running server uses it at once.
public struct AdminDirectories: Sendable {
    public var store: any DirectoryStore
    /// Pages through the directory and returns the counts.
    public var sync: @Sendable (_ name: String, _ caller: ManagementActor) async throws -> DirectorySyncReport
    /// Each step of a connection (and sign-in) check.
    public var test: @Sendable (_ name: String, _ login: String?, _ password: String?) async throws -> [DirectoryDiagnosisStep]
    /// Called after every change, so the server's sign-in uses it at once.
    public var changed: @Sendable () async -> Void

    public init(
        store: any DirectoryStore,
        sync: @escaping @Sendable (String, ManagementActor) async throws -> DirectorySyncReport,
        test: @escaping @Sendable (String, String?, String?) async throws -> [DirectoryDiagnosisStep],
        changed: @escaping @Sendable () async -> Void
    ) {
        self.store = store
        self.sync = sync
        self.test = test
        self.changed = changed
    }
}

struct DirectorySyncView: Encodable {
    let created: Int, updated: Int, disabled: Int, unchanged: Int
}

struct DirectoryTestView: Encodable {
    struct Step: Encodable {
        let step: String, ok: Bool, detail: String
    }
    let ok: Bool
    let steps: [Step]
}

extension AdminDependencies {
    func directoryManagement(for caller: AdminCaller) throws -> (DirectoryManagement, AdminDirectories) {
        guard let directories else { throw Problem.notFound("directory support") }
        var service = DirectoryManagement(store: directories.store)
        service.audit = audit
        service.actor = caller.managementActor
        return (service, directories)
    }
}

/// What `directory test` records, the same from both doors: never the password, only whether a
/// sign-in was tried and how each step went.
package func directoryTestAuditDetail(login: String?, steps: [DirectoryDiagnosisStep]) -> String {
    let failed = steps.filter { !$0.ok }.map(\.step)
    return "ok=\(DirectoryDiagnosis.passed(steps)) sign_in_tried=\(login != nil) steps=\(steps.count)" + (failed.isEmpty ? "" : " failed=\(failed.joined(separator: ","))")
}

extension AdminAPI {
    func registerDirectories(on api: RouterGroup<Context>) {
        api.get("directories", use: guarded { _, _, caller in
            let (service, _) = try deps.directoryManagement(for: caller)
            return try Self.json(Items(items: try await service.list().map(DirectoryView.init)))
        })
        api.post("directories", use: guarded { request, _, caller in
            let (service, directories) = try deps.directoryManagement(for: caller)
            let body = try await AdminBody.decode(DirectoryBody.self, allowing: DirectoryBody.createMembers, from: request)
            let added = try await service.add(try body.configuration())
            await directories.changed()
            return try Self.json(DirectoryView(added), status: .created)
        })
        api.get("directories/:name", use: guarded { _, context, caller in
            let (service, _) = try deps.directoryManagement(for: caller)
            return try Self.json(DirectoryView(try await service.show(name: try Self.parameter(context, "name"))))
        })
        api.patch("directories/:name", use: guarded { request, context, caller in
            let (service, directories) = try deps.directoryManagement(for: caller)
            let body = try await AdminBody.decode(DirectoryBody.self, allowing: DirectoryBody.updateMembers, from: request)
            let updated = try await service.update(name: try Self.parameter(context, "name")) { try body.apply(to: &$0) }
            await directories.changed()
            return try Self.json(DirectoryView(updated))
        })
        api.delete("directories/:name", use: guarded { _, context, caller in
            let (service, directories) = try deps.directoryManagement(for: caller)
            try await service.remove(name: try Self.parameter(context, "name"))
            await directories.changed()
            return Self.noContent
        })
        api.post("directories/:name/sync", use: guarded { _, context, caller in
            let (service, directories) = try deps.directoryManagement(for: caller)
            let name = try await service.show(name: try Self.parameter(context, "name")).name
            do {
                let report = try await directories.sync(name, caller.managementActor)
                return try Self.json(DirectorySyncView(created: report.created, updated: report.updated, disabled: report.disabled, unchanged: report.unchanged))
            } catch let error as DirectoryUnavailable {
                throw Problem(.serviceUnavailable, "the directory cannot be read to the end: \(error.description)", slug: "directory-unavailable")
            } catch let error as SignInError where error.code == .directoryUnavailable {
                throw Problem(.serviceUnavailable, "the directory cannot be reached", slug: "directory-unavailable")
            }
        })
        api.post("directories/:name/test", use: guarded { request, context, caller in
            let (service, directories) = try deps.directoryManagement(for: caller)
            let name = try await service.show(name: try Self.parameter(context, "name")).name
            let body = try await AdminBody.decode(DirectoryTestBody.self, allowing: DirectoryTestBody.members, from: request)
            guard (body.username == nil) == (body.password == nil) else {
                throw Problem.invalid("give both 'username' and 'password', or neither", field: body.username == nil ? "username" : "password")
            }
            let steps = try await directories.test(name, body.username, body.password)
            await deps.audit.record(
                .directoryTested, actor: caller.actor, subject: "directory:\(name)", detail: directoryTestAuditDetail(login: body.username, steps: steps)
            )
            return try Self.json(DirectoryTestView(
                ok: DirectoryDiagnosis.passed(steps), steps: steps.map { DirectoryTestView.Step(step: $0.step, ok: $0.ok, detail: $0.detail) }
            ))
        })
    }
}
