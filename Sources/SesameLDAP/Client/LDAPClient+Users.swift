/// Binds as a person, on connections of their own: a pooled connection's identity never changes.
extension LDAPClient {
    /// A simple bind as `dn` on a connection of its own (never a pooled one), then unbind. A
    /// refused bind is returned, not thrown. An empty password is refused before any connection.
    public func bind(dn: String, password: String, controls: [LDAPControl] = []) async throws -> LDAPAnswer<LDAPBindResponse> {
        let answer = try await withUserConnection(dn: dn, password: password, controls: controls) { _ in () }
        return LDAPAnswer(answer.value.bindResponse, server: answer.server)
    }

    /// Binds as `dn` on a connection of its own and, if the bind succeeds, runs `body` on it as
    /// that user (a password change: Active Directory's `unicodePwd`, or Password Modify), then
    /// unbinds. Servers fail over only while connecting and binding, never once `body` has run.
    public func withUserConnection<Value: Sendable>(
        dn: String,
        password: String,
        controls: [LDAPControl] = [],
        _ body: (LDAPConnection) async throws -> Value
    ) async throws -> LDAPAnswer<LDAPUserSession<Value>> {
        guard !password.isEmpty else {
            throw LDAPClientError(.emptyPassword, "an empty password would be an anonymous bind")
        }
        var problems: [String] = []
        for index in await serversToTry() {
            let url = configuration.servers[index]
            let opened = await userBind(url: url, dn: dn, password: password, controls: controls)
            let connection: LDAPConnection
            let response: LDAPBindResponse
            switch opened {
            case .success(let bound):
                (connection, response) = bound
            case .failure(let error):
                guard error.isServerFailure else { throw error }
                await serverFailed(index, error)
                problems.append("\(url): \(error.message)")
                continue
            }
            if response.result.code == .busy || response.result.code == .unavailable {
                await connection.close()
                let error = LDAPClientError.failed("the bind", response.result).at(url.description)
                await serverFailed(index, error)
                problems.append("\(url): \(error)")
                continue
            }
            await board.succeeded(index)
            guard response.isSuccess else {
                await connection.unbind()
                return LDAPAnswer(.refused(response), server: url.description)
            }
            do {
                let value = try await body(connection)
                await connection.unbind()
                return LDAPAnswer(.bound(response, value), server: url.description)
            } catch {
                await connection.close()
                throw error
            }
        }
        throw LDAPClientError(.allServersFailed, "no server answered: " + problems.joined(separator: "; "))
    }

    /// Connects and binds as a user; the connection is closed again if the bind cannot be sent.
    private func userBind(url: LDAPURL, dn: String, password: String, controls: [LDAPControl]) async -> Result<(LDAPConnection, LDAPBindResponse), LDAPClientError> {
        let connection: LDAPConnection
        do {
            connection = try await LDAPConnection.connect(to: url, settings: configuration.connection, tlsContext: tlsContext, eventLoopGroup: eventLoopGroup)
        } catch {
            return .failure(error)
        }
        do {
            return .success((connection, try await connection.bind(dn: dn, password: password, controls: controls)))
        } catch {
            await connection.close()
            return .failure(error)
        }
    }
}
