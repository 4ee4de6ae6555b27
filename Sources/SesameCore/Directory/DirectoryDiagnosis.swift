/// One step of `sesame directory test`: what was tried, and whether it worked or exactly what failed.
public struct DirectoryDiagnosisStep: Sendable, Equatable {
    public var step: String
    public var ok: Bool
    public var detail: String

    public init(step: String, ok: Bool, detail: String) {
        self.step = step
        self.ok = ok
        self.detail = detail
    }
}

/// Checks a directory as sign-in would use it: each server (connection, TLS, the service
/// account's bind), then, given a login, the user search, the bind with the password, the
/// entry's state, and the groups found with what the rules make of them.
public struct DirectoryDiagnosis: Sendable {
    public let configuration: DirectoryConfiguration
    private let gateway: any DirectoryGateway
    private let clock: any WallClock
    /// `directory.tested` goes here, once per run, with the step that failed (never a password).
    public var audit: AuditTrail?
    public var actor = ManagementActor.cli

    public init(configuration: DirectoryConfiguration, gateway: any DirectoryGateway, clock: any WallClock = SystemClock()) {
        self.configuration = configuration
        self.gateway = gateway
        self.clock = clock
    }

    /// True when every step passed.
    public static func passed(_ steps: [DirectoryDiagnosisStep]) -> Bool { !steps.isEmpty && steps.allSatisfy(\.ok) }

    /// - Parameters:
    ///   - login: a login to search for, as a person types it; nil checks the servers only.
    ///   - password: then bound with (never recorded); nil stops after the search.
    public func run(login: String? = nil, password: String? = nil) async -> [DirectoryDiagnosisStep] {
        let steps = await steps(login: login, password: password)
        let failed = steps.first { !$0.ok }
        await audit?.record(
            .directoryTested, actor: actor.auditName, subject: "directory:\(configuration.name)",
            detail: failed.map { "failed=\($0.step.prefix(200))" } ?? "passed"
        )
        return steps
    }

    private func steps(login: String?, password: String?) async -> [DirectoryDiagnosisStep] {
        var steps: [DirectoryDiagnosisStep] = []
        let health = await gateway.check()
        for server in health {
            steps.append(DirectoryDiagnosisStep(
                step: "server \(server.server)", ok: server.problem == nil,
                detail: server.problem.map { "\(server.server): \($0)" } ?? "connected and bound as \(configuration.bindDN)"
            ))
        }
        guard health.contains(where: { $0.problem == nil }) else { return steps }
        guard let login else { return steps }

        let search = "search for '\(login.prefix(100))'"
        let entry: DirectoryEntry
        do {
            let found = try await gateway.search(DirectoryAuthenticator.userQuery(configuration, login: login), limit: 2)
            guard found.value.count == 1, let first = found.value.first else {
                let detail = found.value.isEmpty
                    ? "no entry under \(configuration.baseDN) matches \(configuration.effectiveUserFilter) with {login}=\(login.prefix(100))"
                    : "more than one entry matches: the login is ambiguous and would be refused"
                steps.append(DirectoryDiagnosisStep(step: search, ok: false, detail: detail))
                return steps
            }
            entry = first
            steps.append(DirectoryDiagnosisStep(step: search, ok: true, detail: "found \(entry.dn) on \(found.server)"))
        } catch {
            steps.append(DirectoryDiagnosisStep(step: search, ok: false, detail: "\(error)"))
            return steps
        }

        if let password {
            let bind = "bind as \(entry.dn)"
            guard !password.isEmpty else {
                steps.append(DirectoryDiagnosisStep(step: bind, ok: false, detail: "the password is empty (an empty bind would be anonymous); not tried"))
                return steps
            }
            do {
                let answer = try await gateway.bind(dn: entry.dn, password: password, passwordPolicy: true)
                if let refusal = DirectoryRefusal.of(answer.value) {
                    steps.append(DirectoryDiagnosisStep(step: bind, ok: false, detail: Self.describe(answer.value, refusal)))
                    return steps
                }
                steps.append(DirectoryDiagnosisStep(step: bind, ok: true, detail: "password accepted by \(answer.server)"))
            } catch {
                steps.append(DirectoryDiagnosisStep(step: bind, ok: false, detail: "\(error)"))
                return steps
            }
            if configuration.profile == .activeDirectory, let refusal = DirectoryAccountState(entry: entry).refusalAfterBind(now: clock.now()) {
                steps.append(DirectoryDiagnosisStep(step: "account state", ok: false, detail: "\(refusal.reason.rawValue): \(refusal.message ?? "")"))
                return steps
            }
        }

        let username = entry.string(configuration.effectiveAttributeMap.username) ?? ""
        do {
            let groups = try await DirectoryGroupResolver(configuration: configuration, gateway: gateway).groups(of: entry, login: username)
            let given = DirectoryGroupRules.apply(configuration.groupRules, to: groups)
            let names = groups.map { $0.name ?? $0.dn }
            steps.append(DirectoryDiagnosisStep(
                step: "groups", ok: true,
                detail: "\(groups.count) found\(names.isEmpty ? "" : ": " + names.prefix(50).joined(separator: ", ")); Sesame groups: "
                    + (given.groups.isEmpty ? "none" : given.groups.joined(separator: ", ")) + "; roles: " + (given.roles.isEmpty ? "none" : given.roles.joined(separator: ", "))
            ))
        } catch {
            steps.append(DirectoryDiagnosisStep(step: "groups", ok: false, detail: "\(error)"))
        }
        return steps
    }

    /// `invalid credentials (49), data 52e: wrong password or no such user`.
    static func describe(_ result: DirectoryBindResult, _ refusal: DirectoryRefusal) -> String {
        var text = result.resultCode == 49 ? "invalid credentials (49)" : "result \(result.resultCode)"
        if let code = DirectoryRefusal.activeDirectoryCode(in: result.diagnosticMessage) { text += ", data \(code)" }
        if let error = result.passwordPolicy?.error { text += ", password policy: \(error)" }
        switch refusal {
        case .wrongPassword: text += ": wrong password"
        case .other: if !result.diagnosticMessage.isEmpty { text += ": \(result.diagnosticMessage.prefix(200))" }
        default: text += ": \(refusal.reason.rawValue) (\(refusal.message ?? ""))"
        }
        return text
    }
}
