import Foundation
import SesameCore
import SesameLDAP

/// The core's `DirectoryGateway` over SesameLDAP's client: a pool of service-account connections
/// per directory, user binds on connections of their own, servers tried in order. Filter
/// templates are parsed by `LDAPFilter.parse(template:values:)`, which escapes every value
/// (RFC 4515) before parsing, so no input ever reaches a filter unescaped.
public final class LDAPDirectoryGateway: DirectoryGateway {
    let client: LDAPClient
    let configuration: DirectoryConfiguration

    public init(_ configuration: DirectoryConfiguration) throws {
        self.configuration = configuration
        client = LDAPClient(configuration: try Self.clientConfiguration(configuration))
    }

    static func clientConfiguration(_ c: DirectoryConfiguration) throws -> LDAPClientConfiguration {
        let servers = try c.urls.map { url in
            do { return try LDAPURL(url) } catch { throw DirectoryUnavailable("\(url): \(error)") }
        }
        var tls = c.caFile.map { LDAPTLSSettings.ca(file: $0) } ?? .system
        tls.verify = c.verifyCertificates
        return LDAPClientConfiguration(
            servers: servers,
            connection: LDAPConnectionSettings(
                startTLS: c.startTLS, tls: tls, connectTimeout: .milliseconds(Int(c.connectTimeout * 1000)),
                operationTimeout: .milliseconds(Int(c.operationTimeout * 1000))
            ),
            bindDN: c.bindDN, bindPassword: c.bindPassword, poolSize: c.poolSize
        )
    }

    public func search(_ query: DirectoryQuery, limit: Int) async throws -> DirectoryAnswer<[DirectoryEntry]> {
        var request = try Self.request(query)
        request.sizeLimit = Int32(clamping: limit)
        let answer = try await unavailableOnFailure { try await client.search(request) }
        // A size limit reached still carries the entries found; more than asked is the caller's sign of ambiguity.
        return DirectoryAnswer(answer.value.entries.map(Self.entry), server: answer.server)
    }

    public func pages(_ query: DirectoryQuery, pageSize: Int, _ body: ([DirectoryEntry]) async throws -> Void) async throws {
        let request = try Self.request(query)
        try await unavailableOnFailure {
            _ = try await client.pagedSearch(request, pageSize: pageSize) { page in try await body(page.entries.map(Self.entry)) }
        }
    }

    public func bind(dn: String, password: String, passwordPolicy: Bool) async throws -> DirectoryAnswer<DirectoryBindResult> {
        let controls = passwordPolicy ? [LDAPPasswordPolicyControl.request] : []
        let answer = try await unavailableOnFailure { try await client.bind(dn: dn, password: password, controls: controls) }
        return DirectoryAnswer(Self.bindResult(answer.value), server: answer.server)
    }

    public func changePassword(dn: String, old: String, new: String, method: DirectoryPasswordChange) async throws -> DirectoryAnswer<DirectoryBindResult> {
        switch method {
        case .activeDirectory:
            // AD takes a change (not a reset) from anyone who proves the old password in the same
            // modify: delete the old quoted UTF-16LE value, add the new one. It goes over the
            // service account's TLS connection, since a person whose password expired or must
            // change cannot bind (AD answers 532 / 773).
            let answer = try await unavailableOnFailure {
                try await client.withConnection { connection in
                    try await connection.modify(dn: dn, changes: [
                        LDAPModification(.delete, type: "unicodePwd", values: [Self.unicodePwd(old)]),
                        LDAPModification(.add, type: "unicodePwd", values: [Self.unicodePwd(new)]),
                    ])
                }
            }
            return DirectoryAnswer(Self.bindResult(LDAPBindResponse(result: answer.value.result, controls: answer.value.controls)), server: answer.server)
        case .passwordModify:
            // As the person, on a connection of their own; the policy control explains a refusal.
            let answer = try await unavailableOnFailure {
                try await client.withUserConnection(dn: dn, password: old, controls: [LDAPPasswordPolicyControl.request]) { connection in
                    try await connection.passwordModify(old: old, new: new, controls: [LDAPPasswordPolicyControl.request])
                }
            }
            switch answer.value {
            case .refused(let response):
                let refused = Self.bindResult(response)
                // slapd's password policy says "expired" only to the right password: without grace
                // logins the person cannot bind, so the change goes through the service account
                // with the old password, which slapd checks again. A service account without
                // write access to userPassword is answered 50, and the person's refusal stands.
                guard refused.passwordPolicy?.error == .passwordExpired else { return DirectoryAnswer(refused, server: answer.server) }
                let change = try await unavailableOnFailure {
                    try await client.withConnection { connection in
                        try await connection.passwordModify(user: dn, old: old, new: new, controls: [LDAPPasswordPolicyControl.request])
                    }
                }
                guard change.value.result.code != .insufficientAccessRights else { return DirectoryAnswer(refused, server: answer.server) }
                return DirectoryAnswer(Self.bindResult(LDAPBindResponse(result: change.value.result, controls: change.value.controls)), server: change.server)
            case .bound(_, let change):
                return DirectoryAnswer(Self.bindResult(LDAPBindResponse(result: change.result, controls: change.controls)), server: answer.server)
            }
        }
    }

    public func check() async -> [DirectoryServerHealth] {
        await client.check().map { DirectoryServerHealth(server: $0.server, problem: $0.problem) }
    }

    /// Closes every connection; the gateway is not used again.
    public func shutdown() async {
        await client.shutdown()
    }

    /// `"password"` in UTF-16LE, as AD's unicodePwd wants it.
    public static func unicodePwd(_ password: String) -> [UInt8] {
        ("\"" + password + "\"").utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func request(_ query: DirectoryQuery) throws -> LDAPSearchRequest {
        let filter: LDAPFilter
        do {
            filter = try LDAPFilter.parse(template: query.filter, values: query.values)
        } catch {
            // Configurations are validated when stored, so this is a template the rules built wrongly.
            throw DirectoryUnavailable("the filter \(query.filter) cannot be used: \(error)")
        }
        let scope: LDAPSearchScope = switch query.scope {
        case .base: .baseObject
        case .oneLevel: .singleLevel
        case .subtree: .wholeSubtree
        }
        return LDAPSearchRequest(base: query.base, scope: scope, filter: filter, attributes: query.attributes)
    }

    static func entry(_ entry: LDAPSearchEntry) -> DirectoryEntry {
        var attributes: [String: [[UInt8]]] = [:]
        for attribute in entry.attributes { attributes[attribute.type, default: []] += attribute.values }
        return DirectoryEntry(dn: entry.dn, attributes: attributes)
    }

    static func bindResult(_ response: LDAPBindResponse) -> DirectoryBindResult {
        let policy = (try? LDAPPasswordPolicyResponse.find(in: response.controls)).flatMap { $0 }.map { policy in
            DirectoryPasswordPolicyResponse(
                warning: policy.warning.map {
                    switch $0 {
                    case .timeBeforeExpiration(let seconds): .secondsBeforeExpiration(seconds)
                    case .graceAuthNsRemaining(let count): .graceLoginsRemaining(count)
                    }
                },
                error: policy.error.flatMap { DirectoryPasswordPolicyResponse.Failure(rawValue: $0.rawValue) }
            )
        }
        return DirectoryBindResult(resultCode: Int(response.result.code.rawValue), diagnosticMessage: response.result.diagnosticMessage, passwordPolicy: policy)
    }

    /// A server that cannot be reached, a time-out or a TLS failure is `DirectoryUnavailable`,
    /// which sign-in shows as "the directory cannot be reached" and never falls back from.
    private func unavailableOnFailure<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LDAPClientError {
            throw DirectoryUnavailable(error.description)
        }
    }
}
