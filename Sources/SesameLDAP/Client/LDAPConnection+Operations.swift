/// The answer to a bind: refusals are answers, not errors, so that callers can read the result
/// code, the diagnostic message (Active Directory's `data 52e`) and the password policy control.
public struct LDAPBindResponse: Sendable, Equatable {
    public var result: LDAPResult
    public var controls: [LDAPControl]
    /// The password policy response control (draft-behera), when the server sent one.
    public var passwordPolicy: LDAPPasswordPolicyResponse?

    public init(result: LDAPResult, controls: [LDAPControl] = [], passwordPolicy: LDAPPasswordPolicyResponse? = nil) {
        self.result = result
        self.controls = controls
        self.passwordPolicy = passwordPolicy
    }

    public var isSuccess: Bool { result.code == .success }
}

/// The answer to a modify or an extended operation, whatever its result code.
public struct LDAPExtendedResponse: Sendable, Equatable {
    public var result: LDAPResult
    public var name: String?
    public var value: [UInt8]?
    public var controls: [LDAPControl]

    public init(result: LDAPResult, name: String? = nil, value: [UInt8]? = nil, controls: [LDAPControl] = []) {
        self.result = result
        self.name = name
        self.value = value
        self.controls = controls
    }
}

/// A search's entries and references (referrals are returned, never chased), and its result.
public struct LDAPSearchResult: Sendable, Equatable {
    public var entries: [LDAPSearchEntry]
    /// Each searchResultReference's URIs.
    public var references: [[String]]
    public var result: LDAPResult
    public var controls: [LDAPControl]

    public init(entries: [LDAPSearchEntry], references: [[String]] = [], result: LDAPResult = .success, controls: [LDAPControl] = []) {
        self.entries = entries
        self.references = references
        self.result = result
        self.controls = controls
    }
}

extension LDAPConnection {
    /// A simple bind. An empty password is refused before anything is sent: the server would take
    /// it as an anonymous bind and answer success (RFC 4513 §5.1.2).
    public func bind(dn: String, password: String, controls: [LDAPControl] = []) async throws(LDAPClientError) -> LDAPBindResponse {
        guard !password.isEmpty else {
            throw LDAPClientError(.emptyPassword, "an empty password would be an anonymous bind", server: server)
        }
        let message = try await single(.bindRequest(.simple(name: dn, password: password)), controls: controls)
        guard case .bindResponse(let result, _) = message.operation else {
            throw await violation("the server answered a bind with another operation")
        }
        let policy: LDAPPasswordPolicyResponse?
        do {
            policy = try LDAPPasswordPolicyResponse.find(in: message.controls)
        } catch {
            throw await violation("the password policy control cannot be read: \(error)")
        }
        return LDAPBindResponse(result: result, controls: message.controls, passwordPolicy: policy)
    }

    /// A search. Results other than success, sizeLimitExceeded, timeLimitExceeded and referral
    /// throw `.operationFailed`; those four return what arrived.
    public func search(_ request: LDAPSearchRequest, controls: [LDAPControl] = []) async throws(LDAPClientError) -> LDAPSearchResult {
        guard case .search(let entries, let references, let done) = try await send(.searchRequest(request), controls: controls, gathering: .search),
            case .searchResultDone(let result) = done.operation
        else {
            throw await violation("the search did not end with searchResultDone")
        }
        guard [.success, .sizeLimitExceeded, .timeLimitExceeded, .referral].contains(result.code) else {
            throw LDAPClientError.failed("the search", result).at(server)
        }
        return LDAPSearchResult(entries: entries, references: references, result: result, controls: done.controls)
    }

    /// A modify; the result is returned whatever its code (Active Directory explains a refused
    /// `unicodePwd` change in its diagnostic message).
    public func modify(dn: String, changes: [LDAPModification], controls: [LDAPControl] = []) async throws(LDAPClientError) -> LDAPExtendedResponse {
        let message = try await single(.modifyRequest(dn: dn, changes: changes), controls: controls)
        guard case .modifyResponse(let result) = message.operation else {
            throw await violation("the server answered a modify with another operation")
        }
        return LDAPExtendedResponse(result: result, name: nil, value: nil, controls: message.controls)
    }

    /// Any extended operation; the result is returned whatever its code.
    public func extended(name: String, value: [UInt8]? = nil, controls: [LDAPControl] = []) async throws(LDAPClientError) -> LDAPExtendedResponse {
        guard name != LDAPOID.startTLS else {
            throw LDAPClientError(.startTLSFailed, "StartTLS is set up by LDAPConnectionSettings.startTLS, not sent by hand", server: server)
        }
        let message = try await single(.extendedRequest(name: name, value: value), controls: controls)
        guard case .extendedResponse(let result, let responseName, let responseValue) = message.operation else {
            throw await violation("the server answered an extended request with another operation")
        }
        return LDAPExtendedResponse(result: result, name: responseName, value: responseValue, controls: message.controls)
    }

    /// Password Modify (RFC 3062). With no `user`, the bound identity's password changes. The
    /// result is returned whatever its code, with the password policy control if the server sent one.
    public func passwordModify(user: String? = nil, old: String?, new: String?, controls: [LDAPControl] = []) async throws(LDAPClientError) -> LDAPPasswordModifyResult {
        let request = LDAPPasswordModifyRequest(userIdentity: user, oldPassword: old.map { Array($0.utf8) }, newPassword: new.map { Array($0.utf8) })
        let response = try await extended(name: LDAPOID.passwordModify, value: request.encode(), controls: controls)
        var generated: [UInt8]?
        if response.result.code == .success, let value = response.value, !value.isEmpty {
            do {
                generated = try LDAPPasswordModifyResponse(decoding: value).generatedPassword
            } catch {
                throw await violation("the Password Modify answer cannot be read: \(error)")
            }
        }
        let policy: LDAPPasswordPolicyResponse?
        do {
            policy = try LDAPPasswordPolicyResponse.find(in: response.controls)
        } catch {
            throw await violation("the password policy control cannot be read: \(error)")
        }
        return LDAPPasswordModifyResult(result: response.result, generatedPassword: generated, controls: response.controls, passwordPolicy: policy)
    }

    /// WhoAmI (RFC 4532): the authorization identity, such as `dn:uid=alice,...`, or "" when anonymous.
    public func whoAmI() async throws(LDAPClientError) -> String {
        let response = try await extended(name: LDAPOID.whoAmI)
        guard response.result.code == .success else { throw LDAPClientError.failed("WhoAmI", response.result).at(server) }
        guard let value = response.value else { return "" }
        guard value.count <= 4096, let text = String(validating: value, as: UTF8.self) else {
            throw await violation("the WhoAmI answer is not short UTF-8 text")
        }
        return text
    }

    /// A server that breaks the protocol is not talked to again on this connection.
    private func violation(_ message: String) async -> LDAPClientError {
        await close()
        return LDAPClientError.protocolViolation(message).at(server)
    }
}

/// The answer to Password Modify.
public struct LDAPPasswordModifyResult: Sendable, Equatable {
    public var result: LDAPResult
    /// The password the server made, when the request carried no new one.
    public var generatedPassword: [UInt8]?
    public var controls: [LDAPControl]
    /// The password policy response control (e.g. passwordTooShort), when the server sent one.
    public var passwordPolicy: LDAPPasswordPolicyResponse?

    public init(result: LDAPResult, generatedPassword: [UInt8]? = nil, controls: [LDAPControl] = [], passwordPolicy: LDAPPasswordPolicyResponse? = nil) {
        self.result = result
        self.generatedPassword = generatedPassword
        self.controls = controls
        self.passwordPolicy = passwordPolicy
    }
}
